import type { EmuBotExecution } from './types.ts';

/**
 * A bot's code as amoCRM's Salesbot runs it (https://www.amocrm.ru/developers/content/digital_pipeline/salesbot,
 * https://www.amocrm.ru/developers/content/integrations/salesbot_widget): an array of blocks
 * `{question: [handler, …]}`, run from block 0, handler after handler. The subset a widget's
 * designer step uses:
 * - `widget_request {url, data}`: posts `{token, data, return_url}` (markers in `data` filled) and
 *   waits for the continue; its `data` becomes `{{json.<key>}}`;
 * - `goto {type: "question", step: n}`: on to block n;
 * - `conditions {logic: "and"|"or", conditions: [{term1, term2, operation: "="|"!="}], result: [handlers]}`:
 *   runs `result` when the terms match (markers filled), else goes on;
 * - `exits {value}`: leaves the widget's block through that exit (one the widget declared);
 * - `show {type: "text", value}`: sends the text into the lead's chat; `stop`: ends the bot.
 * Anything else fails the run with its reason, so a step amoCRM would not run is caught here.
 */
export interface BotHandler {
  handler: string;
  params?: Record<string, unknown>;
}
export interface BotBlock {
  question: BotHandler[];
}

const HANDLERS = new Set(['widget_request', 'goto', 'conditions', 'exits', 'show', 'stop']);
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Why these steps are not a bot amoCRM would run, or undefined. */
export function checkBotSteps(steps: unknown): string | undefined {
  if (!Array.isArray(steps) || steps.length === 0 || steps.length > 50) return 'steps must be an array of 1 to 50 blocks';
  for (const [i, block] of steps.entries()) {
    if (!isRecord(block) || !Array.isArray(block.question)) return `block ${i} has no question (an array of handlers)`;
    for (const h of block.question as unknown[]) {
      const bad = checkHandler(h, steps.length);
      if (bad) return `block ${i}: ${bad}`;
    }
  }
  return undefined;
}

function checkHandler(h: unknown, blocks: number): string | undefined {
  if (!isRecord(h) || typeof h.handler !== 'string') return 'a handler must be {handler, params}';
  if (!HANDLERS.has(h.handler)) return `the emulator runs no "${h.handler}" handler`;
  const p = isRecord(h.params) ? h.params : {};
  if (h.handler === 'widget_request' && (typeof p.url !== 'string' || (p.data !== undefined && !isRecord(p.data))))
    return 'widget_request needs params.url and an object params.data';
  if (
    h.handler === 'goto' &&
    (p.type !== 'question' || !Number.isInteger(p.step) || (p.step as number) < 0 || (p.step as number) >= blocks)
  )
    return `goto needs type "question" and a step between 0 and ${blocks - 1}`;
  if (h.handler === 'exits' && typeof p.value !== 'string') return 'exits needs params.value';
  if (h.handler === 'conditions') {
    if (!Array.isArray(p.conditions) || !Array.isArray(p.result)) return 'conditions needs params.conditions and params.result';
    for (const c of p.conditions as unknown[])
      if (!isRecord(c) || typeof c.term1 !== 'string' || typeof c.term2 !== 'string' || !['=', '!='].includes(String(c.operation)))
        return 'a condition needs term1, term2 and operation "=" or "!="';
    for (const r of p.result as unknown[]) {
      const bad = checkHandler(r, blocks);
      if (bad) return bad;
      if ((r as BotHandler).handler === 'widget_request') return 'a condition’s result cannot wait for a widget_request';
    }
  }
  return undefined;
}

/** `{{lead.id}}`, `{{lead.price}}` and `{{json.<key>}}` filled; unknown markers stay as written. */
export function fillMarkers(text: string, ctx: { lead: { id: number; price: number }; json: Record<string, unknown> }): string {
  return text.replace(/\{\{(lead\.id|lead\.price|json\.[a-zA-Z0-9_]+)\}\}/g, (whole, key: string) => {
    if (key === 'lead.id') return String(ctx.lead.id);
    if (key === 'lead.price') return String(ctx.lead.price);
    const k = key.slice(5);
    return k in ctx.json ? String(ctx.json[k]) : whole;
  });
}

export interface StepEffects {
  lead: { id: number; price: number };
  /** The bot's declared exits (the widget's salesbotDesignerSettings); empty: any. */
  exits: readonly string[];
  /** Posts the widget_request; resume(data) is called when the widget's server continues the bot. */
  widgetRequest(url: string, data: Record<string, unknown>, resume: (json: Record<string, unknown>) => void): void;
  say(text: string): void;
}

type Outcome = 'next' | 'jumped' | 'halted';

/** Runs `exec` from where it stands until it waits for a widget_request or ends. */
export function advance(exec: EmuBotExecution, steps: BotBlock[], fx: StepEffects): void {
  exec.state = 'running';
  for (let guard = 0; guard < 1000 && exec.state === 'running'; guard++) {
    const block = steps[exec.block];
    const h = block?.question[exec.handler];
    if (!h) return void (exec.state = 'ended');
    const outcome = run(exec, steps, h, fx);
    if (outcome === 'next') exec.handler++;
  }
  if (exec.state === 'running') fail(exec, 'the bot went round in circles (1000 handlers)');
}

function run(exec: EmuBotExecution, steps: BotBlock[], h: BotHandler, fx: StepEffects): Outcome {
  const p = h.params ?? {};
  const fill = (v: unknown) => (typeof v === 'string' ? fillMarkers(v, { lead: fx.lead, json: exec.json }) : v);
  switch (h.handler) {
    case 'widget_request': {
      exec.state = 'waiting';
      const data = Object.fromEntries(Object.entries((p.data as Record<string, unknown>) ?? {}).map(([k, v]) => [k, fill(v)]));
      fx.widgetRequest(String(p.url), data, (json) => {
        exec.json = json;
        exec.handler++;
        advance(exec, steps, fx);
      });
      return 'halted';
    }
    case 'goto':
      exec.block = p.step as number;
      exec.handler = 0;
      return 'jumped';
    case 'conditions':
      return matches(p, fill) ? runList(exec, steps, p.result as BotHandler[], fx) : 'next';
    case 'exits':
      if (fx.exits.length && !fx.exits.includes(String(p.value)))
        return fail(exec, `exit "${String(p.value)}" is not one the widget declared`);
      exec.exit = String(p.value);
      exec.state = 'exited';
      return 'halted';
    case 'show':
      fx.say(String(fill(p.value)));
      return 'next';
    default:
      exec.state = 'ended';
      return 'halted';
  }
}

function matches(p: Record<string, unknown>, fill: (v: unknown) => unknown): boolean {
  const results = (p.conditions as Array<{ term1: string; term2: string; operation: string }>).map((c) => {
    const equal = fill(c.term1) === fill(c.term2);
    return c.operation === '=' ? equal : !equal;
  });
  return p.logic === 'or' ? results.some(Boolean) : results.every(Boolean);
}

/** A condition's result: its handlers in order; a goto or an exit there decides where the bot goes. */
function runList(exec: EmuBotExecution, steps: BotBlock[], list: BotHandler[], fx: StepEffects): Outcome {
  for (const h of list) {
    const outcome = run(exec, steps, h, fx);
    if (outcome !== 'next') return outcome;
  }
  return 'next';
}

function fail(exec: EmuBotExecution, error: string): Outcome {
  exec.state = 'failed';
  exec.error = error;
  return 'halted';
}
