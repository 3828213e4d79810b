import { isValidAmountMinor, majorToMinor, type Currency } from '../../shared/money.ts';
import { answersInteractiveCalls } from '../accounts/account-standing.ts';
import { isAppError } from '../errors/app-error.ts';
import type { WidgetAuth } from './auth/middleware.ts';
import { withDeadline } from './deadline.ts';
import type { WidgetApiDeps } from './deps.ts';

/** How long opening a card, or creating a link with an amount given, waits for the lead read. */
export const LEAD_READ_DEADLINE_MS = 3_000;

export type LeadPrice =
  /** The lead's price in minor units (0 when the lead has none). */
  | { kind: 'price'; minor: number; raw: number | string }
  /** amoCRM says the lead does not exist in this account. */
  | { kind: 'missing' }
  /** The price is not an amount we can charge (negative, too many decimals, too large). */
  | { kind: 'invalid'; raw: number | string }
  /** amoCRM could not be asked (not connected, blocked, down): nothing is known. */
  | { kind: 'unknown'; error: unknown };

/** The lead's `price` as amoCRM stores it; null when the lead does not exist (or was deleted) in this account. */
async function rawLeadPrice(auth: WidgetAuth, leadId: number): Promise<number | string | null> {
  const lead = await auth.account.amocrm.leads.get(leadId);
  if (!lead || lead.is_deleted) return null;
  return lead.price ?? 0;
}

/**
 * The lead's price from amoCRM, converted to minor units without floats: amoCRM keeps `price` in
 * major units (an integer on amoCRM; Kommo may send a fraction), in the account's currency.
 */
export async function readLeadPrice(
  deps: WidgetApiDeps,
  auth: WidgetAuth,
  leadId: number,
  currency: Currency | string,
  opts: { deadlineMs?: number } = {},
): Promise<LeadPrice> {
  if (!answersInteractiveCalls(auth.account.account)) {
    return { kind: 'unknown', error: new Error(`account is ${auth.account.state}`) };
  }
  let raw: number | string | null;
  try {
    raw = await withDeadline(rawLeadPrice(auth, leadId), opts.deadlineMs);
  } catch (error) {
    deps.services.logger.warn('widget api: cannot read the lead price from amoCRM', {
      accountId: auth.accountId,
      leadId,
      code: isAppError(error) ? error.code : undefined,
      error: error instanceof Error ? error.message : String(error),
    });
    return { kind: 'unknown', error };
  }
  if (raw === null) return { kind: 'missing' };
  const minor = majorToMinor(raw, currency as Currency);
  if (minor === undefined || (minor !== 0 && !isValidAmountMinor(minor))) return { kind: 'invalid', raw };
  return { kind: 'price', minor, raw };
}

export { withDeadline } from './deadline.ts';
