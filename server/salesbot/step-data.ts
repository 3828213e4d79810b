import type { Currency } from '../../shared/money.ts';
import { automationParams } from '../lead-links/automation-settings.ts';
import type { LinkParams } from '../lead-links/link-params.ts';
import type { Observation } from '../observations/observation-store.ts';

/**
 * The `data` of a widget_request (docs/architecture.md, Salesbot): what the bot's step put there,
 * with amoCRM's markers filled. dramlink's designer step (widget/src/reach/salesbot-steps.ts) sends
 * `lead_id` ("{{lead.id}}"), `dramlink_step` (its handler code) and the settings every automation
 * shares (amount, payment methods, lifetime: server/lead-links/automation-settings.ts); a step
 * typed into the bot's code editor may send only `lead_id`. The lead itself always comes from the
 * token: `data` only says how the link is made.
 */
export type StepData = Record<string, unknown>;

export function stepDataOf(data: unknown): StepData {
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as StepData) : {};
}

/**
 * The link request's params for the step. Settings that cannot be used are kept as
 * `{invalid, returnPath}`: the request then fails with `invalid_params`, and the bot still gets
 * that answer on its return_url (and the lead a note saying why no link was made).
 */
export function stepParams(data: StepData, currency: Currency, returnPath: string): LinkParams | { invalid: string; returnPath: string } {
  return { ...automationParams(data, currency, 'salesbot'), returnPath };
}

/**
 * What a designer step showed about amoCRM's designer (doctor: `unverified:salesbot_designer`):
 * that it arrived, which handler, and whether amoCRM filled the `{{lead.id}}` marker in `data`
 * with the lead the token names (doctor fails when it did not). Undefined for a step that is not the designer's.
 */
export function designerObservation(data: StepData, leadId: number | null, now: number): Observation | undefined {
  const handler = data.dramlink_step;
  if (typeof handler !== 'string') return undefined;
  const raw = data.lead_id;
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : undefined;
  const leadIdMarker =
    text === undefined
      ? 'absent'
      : leadId !== null && text === String(leadId)
        ? 'filled'
        : /\{\{/.test(text)
          ? 'left_unfilled'
          : 'another_value';
  const seen: Observation = { lastStepAt: now, handler: handler.slice(0, 40), leadIdMarker };
  // Filled is what the step relies on; anything else makes doctor name the step's builder to correct.
  if (leadIdMarker === 'filled') return { ...seen, lastOkAt: now };
  if (leadIdMarker === 'absent') return seen;
  return { ...seen, lastErrorAt: now, lastErrorCode: `lead_id_marker_${leadIdMarker}` };
}
