import { performance } from 'node:perf_hooks';
import { advance, type BotBlock } from './bot-steps.ts';
import { signBotToken, type SalesbotBook } from './salesbot.ts';
import type { EmulatorState } from './state.ts';
import type { DigitalPipelineInput, EmuBotExecution, EmuWidgetRequest, OutboundAnswer, WidgetRequestInput } from './types.ts';

/**
 * What amoCRM sends to a widget's server by itself: a Salesbot's `widget_request` and a Digital
 * Pipeline trigger's hook (`dp.webhook_url`). Each returns the server's answer and how long it took
 * (amoCRM expects a widget_request answered within 2 s).
 */
export interface OutboundDeps {
  state: EmulatorState;
  bots: SalesbotBook;
  options: { clientId: string; clientSecret: string; redirectUri: string; now: () => number };
  /** The emulator's own base URL, for return_url. */
  url(): string;
}

async function post(url: string, body: string, contentType: string): Promise<OutboundAnswer> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text, durationMs: performance.now() - started };
  } catch {
    return { status: 0, body: '', durationMs: performance.now() - started };
  }
}

/** A Salesbot step `widget_request` for a lead: `{token, data, return_url}` posted as JSON. */
export async function sendWidgetRequest(
  d: OutboundDeps,
  accountId: number,
  input: WidgetRequestInput,
  /** Told the waiting step before the POST (its continue may come before the answer does). */
  opened?: (entry: EmuWidgetRequest) => void,
): Promise<OutboundAnswer & { continueId: number; returnUrl: string; sentBody: string }> {
  const acc = d.state.require(accountId);
  const botId = input.botId ?? d.bots.addBot(accountId, { widgetRequestUrl: input.url }).id;
  const returnUrlBase = `${d.url()}/api/v4/salesbot/${botId}/continue/`;
  const entry = d.bots.open({ accountId, botId, leadId: input.leadId, returnUrl: '' });
  entry.returnUrl = `${returnUrlBase}${entry.continueId}`;
  opened?.(entry);
  const token =
    input.token ??
    signBotToken(
      {
        accountId,
        subdomain: acc.account.subdomain,
        domain: acc.account.domain,
        entityId: input.leadId,
        clientId: d.options.clientId,
        redirectUri: d.options.redirectUri,
        now: d.options.now(),
      },
      input.secret ?? d.options.clientSecret,
      input.alg,
    );
  const body = JSON.stringify({ token, data: input.data ?? { lead_id: String(input.leadId) }, return_url: entry.returnUrl });
  const answer = await post(input.url, body, 'application/json');
  entry.status = answer.status;
  entry.durationMs = answer.durationMs;
  return { ...answer, continueId: entry.continueId, returnUrl: entry.returnUrl, sentBody: body };
}

/**
 * A bot built from steps, started for a lead (bot-steps.ts runs the code): each widget_request is
 * posted as above (`track` keeps the post, so settle() and stop() wait for it) and resumed by the
 * widget's continue; a widget answering anything but 200 fails the run.
 */
export function runBotSteps(
  d: OutboundDeps,
  run: { accountId: number; botId: number; leadId: number },
  track: (p: Promise<unknown>) => void,
): EmuBotExecution {
  const { accountId, botId, leadId } = run;
  const bot = d.bots.bot(accountId, botId);
  if (!bot?.steps) throw new Error(`amocrm-emulator: bot ${botId} of account ${accountId} has no steps`);
  const lead = d.state.require(accountId).leads.get(leadId);
  const exec = d.bots.newExecution(run);
  advance(exec, bot.steps as BotBlock[], {
    lead: { id: leadId, price: lead?.price ?? 0 },
    exits: bot.exits ?? [],
    widgetRequest: (url, data, resume) => {
      const opened = (entry: EmuWidgetRequest) => {
        exec.continueId = entry.continueId;
        d.bots.onContinue(entry.continueId, resume);
      };
      const sent = sendWidgetRequest(d, accountId, { url, leadId, botId, data }, opened).then((answer) => {
        exec.widgetRequestStatus = answer.status;
        if (answer.status !== 200 && exec.state === 'waiting') {
          exec.state = 'failed';
          exec.error = `the widget's server answered the widget_request ${answer.status || 'nothing'}`;
        }
      });
      track(sent);
    },
    say: (text) => d.bots.messages.push({ accountId, botId, leadId, text, at: d.state.nowSec() }),
  });
  return exec;
}

const TYPE_CODES: Record<number, string> = { 1: 'lead_added', 14: 'lead_status_changed', 15: 'lead_appeared_in_status' };

/** The hook a Digital Pipeline widget action posts when a lead enters its stage (https://www.amocrm.ru/developers/content/digital_pipeline/integrations). */
export function digitalPipelineBody(d: OutboundDeps, accountId: number, input: DigitalPipelineInput): Record<string, unknown> {
  const acc = d.state.require(accountId);
  const lead = acc.leads.get(input.leadId);
  const type = input.type ?? 15;
  return {
    event: {
      type,
      type_code: TYPE_CODES[type] ?? 'lead_appeared_in_status',
      data: {
        id: input.leadId,
        element_type: 2,
        status_id: input.statusId ?? lead?.status_id ?? 0,
        pipeline_id: input.pipelineId ?? lead?.pipeline_id ?? 0,
        direction_of_movement: input.direction ?? 'went_to_trigger',
      },
      time: input.time ?? d.state.nowSec(),
    },
    action: { settings: { widget: { settings: input.settings } } },
    subdomain: acc.account.subdomain,
    account_id: accountId,
  };
}

export function fireDigitalPipeline(d: OutboundDeps, accountId: number, input: DigitalPipelineInput): Promise<OutboundAnswer> {
  const body = digitalPipelineBody(d, accountId, input);
  return input.format === 'form'
    ? post(input.url, formEncode(body), 'application/x-www-form-urlencoded')
    : post(input.url, JSON.stringify(body), 'application/json');
}

/** Nested keys the PHP way: `event[data][id]=1`. */
export function formEncode(value: Record<string, unknown>, prefix = ''): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}[${k}]` : k;
    if (v !== null && typeof v === 'object') parts.push(formEncode(v as Record<string, unknown>, key));
    else parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v ?? ''))}`);
  }
  return parts.filter(Boolean).join('&');
}
