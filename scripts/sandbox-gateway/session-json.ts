import type { SessionStatusResponse } from '../../server/providers/sandbox/api-schemas.ts';
import type { SandboxSession } from './session-store.ts';
import { effectiveStatus } from './session-status.ts';

/** GET /api/sessions/:id: the contract's fields plus expiresAt. */
export function sessionJson(session: SandboxSession, now: number): SessionStatusResponse {
  return {
    sessionId: session.id,
    orderNo: session.orderNo,
    status: effectiveStatus(session, now),
    amountMinor: session.amountMinor,
    currency: session.currency,
    refundedMinor: session.refundedMinor,
    expiresAt: session.expiresAt,
  };
}
