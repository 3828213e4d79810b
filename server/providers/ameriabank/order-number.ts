import { ProviderError } from '../errors.ts';
import { AMERIABANK_MAX_ORDER_ID, type AmeriabankCredentials } from './credentials.ts';

/**
 * Ameriabank's OrderID is an integer unique per ClientID; reusing one overwrites the earlier order.
 * Test mode: the bank issues each merchant a finite range, so the n-th attempt gets from + n - 1.
 * Live mode: counter + orderIdOffset.
 */
export function ameriabankOrderNo(input: { counter: number; mode: 'test' | 'live'; credentials: AmeriabankCredentials }): string {
  const { counter, mode, credentials } = input;
  if (!Number.isSafeInteger(counter) || counter < 1) {
    throw new ProviderError('ameriabank', 'ameriabank_bad_counter', `order counter must be a positive integer, got ${counter}`);
  }
  if (mode === 'test') {
    const { testOrderIdFrom: from, testOrderIdTo: to } = credentials;
    if (from === undefined || to === undefined) {
      throw new ProviderError(
        'ameriabank',
        'ameriabank_test_range_missing',
        'test mode needs testOrderIdFrom and testOrderIdTo: the test OrderID range Ameriabank issued for your ClientID (e.g. 2923001–2924000). Ask the bank for it and enter both in the settings.',
      );
    }
    const id = from + counter - 1;
    if (id > to) {
      throw new ProviderError(
        'ameriabank',
        'ameriabank_test_range_exhausted',
        `the test OrderID range ${from}–${to} is used up (this attempt would need ${id}). Ask Ameriabank for a new test range, or switch to live mode.`,
        { from, to, counter },
      );
    }
    return String(id);
  }
  const id = counter + (credentials.orderIdOffset ?? 0);
  if (id > AMERIABANK_MAX_ORDER_ID) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_order_id_overflow',
      `OrderID ${id} exceeds Ameriabank's integer limit ${AMERIABANK_MAX_ORDER_ID}; lower orderIdOffset.`,
    );
  }
  return String(id);
}

/** Our providerOrderNo back to the integer Ameriabank wants in JSON. */
export function orderIdAsInteger(providerOrderNo: string): number {
  const n = /^\d{1,10}$/.test(providerOrderNo) ? Number(providerOrderNo) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > AMERIABANK_MAX_ORDER_ID) {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_bad_order_id',
      `providerOrderNo "${providerOrderNo}" is not an Ameriabank OrderID (a positive integer); it must come from orderNo().`,
    );
  }
  return n;
}
