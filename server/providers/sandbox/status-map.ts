import type { ProviderFact } from '../provider.ts';
import type { SessionStatusResponse } from './api-schemas.ts';

/** The gateway's session status as a fact; refunds keep a paid session paid, with the total refunded. */
export function factFromSession(s: SessionStatusResponse): ProviderFact {
  return {
    status: s.status,
    amountMinor: s.amountMinor,
    currency: s.currency,
    refundedTotalMinor: s.refundedMinor,
    providerPaymentId: s.sessionId,
    providerOrderNo: s.orderNo,
    rawStatus: s.status,
  };
}
