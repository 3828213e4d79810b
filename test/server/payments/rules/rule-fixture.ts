import { isMoneyTaken } from '../../../../shared/status.ts';
import type { ProviderFact } from '../../../../server/providers/provider.ts';
import type { AttemptState, PaymentState } from '../../../../server/payments/rules/state.ts';

/** Pure states for the status rules: no database, a fixed time. */
export const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

export function payment(over: Partial<PaymentState> = {}): PaymentState {
  const taken = isMoneyTaken(over.status ?? 'awaiting');
  return {
    status: 'awaiting',
    amountMinor: 100000,
    currency: 'AMD',
    expiresAt: NOW + 3_600_000,
    paidAt: taken ? NOW - 1000 : null,
    paidAmountMinor: taken ? 100000 : null,
    paidAttemptId: taken ? 'a1' : null,
    providerRef: taken ? 'ref-1' : null,
    refundedAmountMinor: over.status === 'refunded' ? 100000 : over.status === 'partially_refunded' ? 40000 : 0,
    reviewReason: null,
    reviewSince: null,
    ...over,
  };
}

export function attempt(id: string, seq: number, over: Partial<AttemptState> = {}): AttemptState {
  return {
    id,
    seq,
    status: 'pending',
    amountMinor: 100000,
    currency: 'AMD',
    providerOrderNo: `ord-${id}`,
    providerPaymentId: null,
    rawStatus: null,
    flag: null,
    heldAt: null,
    captureMode: null,
    ...over,
  };
}

/** One fact of each kind the providers send, for the attempt it is about. */
export const FACTS: Array<[string, (a: AttemptState) => ProviderFact]> = [
  ['pending', (a) => ({ status: 'pending', providerOrderNo: a.providerOrderNo, rawStatus: 'p' })],
  ['failed', (a) => ({ status: 'failed', providerOrderNo: a.providerOrderNo, rawStatus: 'declined' })],
  ['expired', (a) => ({ status: 'expired', providerOrderNo: a.providerOrderNo, rawStatus: 'timeout' })],
  ['cancelled', (a) => ({ status: 'cancelled', providerOrderNo: a.providerOrderNo, rawStatus: 'voided' })],
  ['unknown', (a) => ({ status: 'unknown', providerOrderNo: a.providerOrderNo, rawStatus: '?' })],
  [
    'paid',
    (a) => ({ status: 'paid', amountMinor: a.amountMinor, currency: a.currency, providerOrderNo: a.providerOrderNo, rawStatus: 'ok' }),
  ],
  [
    'paid with smaller refund total',
    (a) => ({ status: 'paid', amountMinor: a.amountMinor, currency: 'AMD', refundedTotalMinor: 0, rawStatus: 'ok' }),
  ],
  ['amount mismatch', (a) => ({ status: 'paid', amountMinor: 1, currency: 'AMD', providerOrderNo: a.providerOrderNo, rawStatus: 'ok' })],
  [
    'currency mismatch',
    (a) => ({ status: 'paid', amountMinor: a.amountMinor, currency: 'USD', providerOrderNo: a.providerOrderNo, rawStatus: 'ok' }),
  ],
];

export const paidFact = (a: AttemptState, over: Partial<ProviderFact> = {}): ProviderFact => ({ ...FACTS[5][1](a), ...over });
