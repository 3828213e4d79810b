import type { SandboxEventType, SandboxNotification } from '../../server/providers/sandbox/notification-body.ts';
import type { SandboxSession } from './session-store.ts';

/** The exact JSON text the gateway signs and sends for a session event. */
export function notificationBody(type: SandboxEventType, session: SandboxSession): string {
  const data: SandboxNotification['data'] = {
    sessionId: session.id,
    orderNo: session.orderNo,
    amountMinor: session.amountMinor,
    currency: session.currency,
    ...(type === 'payment.refunded' ? { refundedMinor: session.refundedMinor } : {}),
  };
  return JSON.stringify({ type, data });
}

/** Where the browser goes back to: the merchant's returnUrl with `session=<id>`, like a bank appends its order id. */
export function returnUrlFor(session: SandboxSession): string {
  const url = new URL(session.returnUrl);
  url.searchParams.set('session', session.id);
  return url.toString();
}
