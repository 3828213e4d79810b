import { ProviderError } from '../errors.ts';

/**
 * EDP_BILL_NO is the ledger's per-account counter in plain digits ("17"): Idram shows it to the
 * merchant in its cabinet, numeric bill numbers are what Idram integrations use, and the counter
 * never repeats within an account (RESULT_URL, and so the webhook's accountId, is fixed per IdramID).
 */
export function idramOrderNo(input: { counter: number }): string {
  const { counter } = input;
  if (!Number.isSafeInteger(counter) || counter <= 0) {
    throw new ProviderError('idram', 'idram_bad_counter', `order counter must be a positive integer, got ${counter}`);
  }
  return String(counter);
}
