import express, { Router } from 'express';
import type { AmocrmEmulator, EmuBotExecution } from '../amocrm-emulator/index.ts';
import { DEMO } from './demo-account.ts';

/** What the playground shows of a run: how it ended and the widget's answer (`{{json.*}}`). */
export interface BotRunAnswer {
  botId: number;
  state: EmuBotExecution['state'];
  exit: string | null;
  json: Record<string, unknown>;
  widgetRequestStatus: number | null;
  error: string | null;
}

/** Runs a designed bot for a demo lead; undefined until the server listens. */
export type RunDesignedBot = (leadId: number, steps: unknown[], exits: string[]) => Promise<BotRunAnswer>;

/** How long the playground waits for the bot to come out of dramlink's step (the server continues it within seconds). */
const WAIT_MS = 15_000;

/**
 * `POST /playground/salesbot-run {leadId, steps, exits}`: the playground's "run the bot" after
 * saving dramlink's step in its Salesbot designer stand-in. The emulator registers a bot with the
 * code the widget's onSalesbotDesignerSave returned (and the exits its salesbotDesignerSettings
 * declared), runs it for the demo lead as amoCRM would (its widget_request to this server, the
 * wait for the continue, the conditions to an exit) and the route answers how it ended. Only demo
 * leads, and only steps whose widget_request goes to this server's `/amocrm/salesbot`: the emulator
 * posts nowhere else for a page.
 */
export function salesbotRunRoute(run: () => RunDesignedBot | undefined): Router {
  const r = Router();
  r.post('/playground/salesbot-run', express.json({ limit: '32kb' }), async (req, res) => {
    const body = (req.body ?? {}) as { leadId?: unknown; steps?: unknown; exits?: unknown };
    const problem = invalid(body);
    const runner = run();
    if (problem) return void res.status(400).json({ error: { code: 'invalid_bot', message: problem } });
    if (!runner)
      return void res
        .status(503)
        .json({ error: { code: 'not_ready', message: 'The demo account is still being installed; try again in a moment.' } });
    try {
      const answer = await runner(body.leadId as number, body.steps as unknown[], body.exits as string[]);
      res.set('cache-control', 'no-store').json(answer);
    } catch (err) {
      res.status(400).json({ error: { code: 'invalid_bot', message: (err as Error).message } });
    }
  });
  return r;
}

function invalid(body: { leadId?: unknown; steps?: unknown; exits?: unknown }): string | undefined {
  if (!DEMO.leads.some((l) => l.id === body.leadId))
    return `leadId must be one of the demo leads (${DEMO.leads.map((l) => l.id).join(', ')})`;
  if (!Array.isArray(body.steps)) return 'steps must be the array onSalesbotDesignerSave returned (as JSON)';
  const exits = body.exits;
  if (!Array.isArray(exits) || exits.length > 10 || !exits.every((x) => typeof x === 'string' && /^\w{1,40}$/.test(x)))
    return 'exits must be the codes salesbotDesignerSettings declared';
  return undefined;
}

/** The widget_request URLs of a bot's code, wherever they are. */
function requestUrls(steps: unknown[]): unknown[] {
  return steps.flatMap((block) => {
    const question = (block as { question?: unknown } | null)?.question;
    return Array.isArray(question)
      ? question
          .filter((h) => (h as { handler?: unknown } | null)?.handler === 'widget_request')
          .map((h) => (h as { params?: { url?: unknown } }).params?.url)
      : [];
  });
}

/** The runner local mode installs once it listens: `origins` are where this server is reached (its loopback URL, PUBLIC_URL). */
export function designedBotRunner(emulator: AmocrmEmulator, origins: string[]): RunDesignedBot {
  return async (leadId, steps, exits) => {
    const foreign = requestUrls(steps).find((u) => {
      try {
        const url = new URL(String(u));
        return !origins.includes(url.origin) || url.pathname !== '/amocrm/salesbot' || url.search !== '';
      } catch {
        return true;
      }
    });
    if (foreign !== undefined)
      throw new Error(`the step's widget_request must go to this server's /amocrm/salesbot, not ${String(foreign)}`);
    const bot = emulator.addSalesbot(DEMO.accountId, { name: 'dramlink step (playground)', steps, exits });
    const exec = emulator.runBot(DEMO.accountId, bot.id, leadId);
    for (const deadline = Date.now() + WAIT_MS; (exec.state === 'running' || exec.state === 'waiting') && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      botId: bot.id,
      state: exec.state,
      exit: exec.exit ?? null,
      json: exec.json,
      widgetRequestStatus: exec.widgetRequestStatus ?? null,
      error: exec.error ?? (exec.state === 'waiting' ? 'dramlink did not continue the bot within 15 s' : null),
    };
  };
}
