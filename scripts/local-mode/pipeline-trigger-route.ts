import express, { Router } from 'express';
import type { OutboundAnswer } from '../amocrm-emulator/index.ts';
import { DEMO } from './demo-account.ts';

/** Fires the emulator's Digital Pipeline hook for a demo lead; undefined until the server listens. */
export type FirePipelineHook = (leadId: number, settings: Record<string, string>) => Promise<OutboundAnswer>;

const MAX_SETTINGS = 20;
const MAX_VALUE = 500;

/**
 * `POST /playground/dp-trigger {leadId, settings}`: "a lead enters the stage" of the playground's
 * Digital Pipeline stand-in. amoCRM would post its hook to the manifest's `dp.webhook_url` with the
 * action's saved quick settings; the emulator posts the same body to this server's
 * `/amocrm/pipeline` and the answer comes back as `{status, body}`. Only demo leads, only string
 * settings (what amoCRM's form saves).
 */
export function pipelineTriggerRoute(fire: () => FirePipelineHook | undefined): Router {
  const r = Router();
  r.post('/playground/dp-trigger', express.json({ limit: '16kb' }), async (req, res) => {
    const body = (req.body ?? {}) as { leadId?: unknown; settings?: unknown };
    const problem = invalid(body);
    if (problem) {
      res.status(400).json({ error: { code: 'invalid_trigger', message: problem } });
      return;
    }
    const hook = fire();
    if (!hook) {
      res.status(503).json({ error: { code: 'not_ready', message: 'The demo account is still being installed; try again in a moment.' } });
      return;
    }
    const answer = await hook(body.leadId as number, body.settings as Record<string, string>);
    res.set('cache-control', 'no-store').json({ status: answer.status, body: answer.body.slice(0, 2000) });
  });
  return r;
}

function invalid(body: { leadId?: unknown; settings?: unknown }): string | undefined {
  if (!DEMO.leads.some((l) => l.id === body.leadId))
    return `leadId must be one of the demo leads (${DEMO.leads.map((l) => l.id).join(', ')})`;
  const s = body.settings;
  if (!s || typeof s !== 'object' || Array.isArray(s)) return 'settings must be an object of the saved quick settings';
  const entries = Object.entries(s);
  if (entries.length > MAX_SETTINGS) return `at most ${MAX_SETTINGS} settings`;
  const bad = entries.find(([, v]) => typeof v !== 'string' || v.length > MAX_VALUE);
  return bad ? `setting ${bad[0]} must be a string of at most ${MAX_VALUE} characters` : undefined;
}
