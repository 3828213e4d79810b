import { createHmac } from 'node:crypto';
import type { EmulatorState } from './state.ts';
import { checkBotSteps } from './bot-steps.ts';
import type { BotInput, EmuBot, EmuBotExecution, EmuBotMessage, EmuBotRun, EmuContinuation, EmuWidgetRequest } from './types.ts';

export class SalesbotBook {
  private readonly bots = new Map<number, EmuBot>();
  readonly widgetRequests: EmuWidgetRequest[] = [];
  readonly continuations: EmuContinuation[] = [];
  readonly runs: EmuBotRun[] = [];
  readonly messages: EmuBotMessage[] = [];
  readonly executions: EmuBotExecution[] = [];
  /** A waiting widget_request of a bot built from steps: what its continue resumes. */
  private readonly resumers = new Map<number, (json: Record<string, unknown>) => void>();

  constructor(private readonly state: EmulatorState) {}

  addBot(accountId: number, input: BotInput = {}): EmuBot {
    this.state.require(accountId);
    const bad = input.steps !== undefined ? checkBotSteps(input.steps) : undefined;
    if (bad) throw new Error(`amocrm-emulator: not a bot amoCRM would run: ${bad}`);
    const id = input.id !== undefined ? this.state.ids.claim('bot', input.id) : this.state.ids.take('bot');
    const bot: EmuBot = {
      id,
      name: input.name ?? `Salesbot ${id}`,
      account_id: accountId,
      widgetRequestUrl: input.widgetRequestUrl,
      message: input.message ?? 'Ссылка на оплату: {{json.payment_url}}',
      ...(input.steps ? { steps: structuredClone(input.steps) } : {}),
      ...(input.exits ? { exits: [...input.exits] } : {}),
    };
    this.bots.set(id, bot);
    return bot;
  }

  bot(accountId: number, botId: number): EmuBot | undefined {
    const bot = this.bots.get(botId);
    return bot && bot.account_id === accountId ? bot : undefined;
  }

  /** A new run of a bot built from steps, at its first handler. */
  newExecution(run: { accountId: number; botId: number; leadId: number }): EmuBotExecution {
    const exec: EmuBotExecution = { id: this.executions.length + 1, ...run, state: 'running', json: {}, block: 0, handler: 0 };
    this.executions.push(exec);
    return exec;
  }

  /** What the continue of this waiting step resumes (a bot built from steps). */
  onContinue(continueId: number, resume: (json: Record<string, unknown>) => void): void {
    this.resumers.set(continueId, resume);
  }

  /** A step waiting for its continue; returns its id. */
  open(request: Omit<EmuWidgetRequest, 'continueId' | 'status' | 'durationMs' | 'continued'>): EmuWidgetRequest {
    const entry: EmuWidgetRequest = {
      ...request,
      continueId: this.state.ids.take('continuation'),
      status: 0,
      durationMs: 0,
      continued: false,
    };
    this.widgetRequests.push(entry);
    return entry;
  }

  /**
   * The continue call: accepted once per waiting step (then the bot goes on and sends its message),
   * `not_found` otherwise, as amoCRM answers 404 when no widget waits for a result.
   */
  continue(accountId: number, botId: number, continueId: number, body: unknown): 'ok' | 'not_found' {
    const waiting = this.widgetRequests.find(
      (r) => r.accountId === accountId && r.botId === botId && r.continueId === continueId && !r.continued,
    );
    if (!waiting) return 'not_found';
    waiting.continued = true;
    const at = this.state.nowSec();
    this.continuations.push({ accountId, botId, continueId, body, at });
    const data = body && typeof body === 'object' ? ((body as { data?: unknown }).data as Record<string, unknown> | undefined) : undefined;
    const bot = this.bots.get(botId);
    const resume = this.resumers.get(continueId);
    this.resumers.delete(continueId);
    if (resume) resume(data ?? {});
    else if (bot) this.messages.push({ accountId, botId, leadId: waiting.leadId, text: fillMarkers(bot.message, data ?? {}), at });
    return 'ok';
  }
}

/** `{{json.payment_url}}` → the value the widget returned; unknown markers stay as written. */
function fillMarkers(text: string, data: Record<string, unknown>): string {
  return text.replace(/\{\{json\.([a-zA-Z0-9_]+)\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

/**
 * The token of a `widget_request`: signed with the integration's secret; amoCRM's official PHP
 * library verifies it with HS512 (`parseBotDisposableToken`), claims account_id, subdomain,
 * entity_type (2 = lead), entity_id, iat/nbf/exp.
 */
export function signBotToken(
  claims: { accountId: number; subdomain: string; domain: string; entityId: number; clientId: string; redirectUri: string; now: number },
  secret: string,
  alg: 'HS512' | 'HS256' = 'HS512',
): string {
  const iat = Math.floor(claims.now / 1000);
  const payload = {
    iss: `https://${claims.subdomain}.${claims.domain}`,
    aud: new URL(claims.redirectUri).origin,
    iat,
    nbf: iat,
    exp: iat + 300,
    account_id: claims.accountId,
    subdomain: claims.subdomain,
    client_uuid: claims.clientId,
    entity_type: 2,
    entity_id: claims.entityId,
    bot_type: 'salesbot',
  };
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part({ typ: 'JWT', alg })}.${part(payload)}`;
  return `${body}.${createHmac(alg === 'HS512' ? 'sha512' : 'sha256', secret)
    .update(body)
    .digest('base64url')}`;
}
