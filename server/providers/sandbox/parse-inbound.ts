import { InboundRejectedError } from '../errors.ts';
import type { InboundReading, InboundRequest, InboundVerification, ProviderFact } from '../provider.ts';
import { sandboxNotificationSchema, type SandboxNotification } from './notification-body.ts';
import { header } from './verify-inbound.ts';

/**
 * A verified POST is a notification, parsed strictly; its webhook-id and webhook-timestamp were
 * checked by the signature. A GET is a browser that came back (`?session=` or nothing): it only
 * triggers a status query.
 */
export function parseSandboxInbound(req: InboundRequest, verification: InboundVerification): InboundReading {
  if (req.method.toUpperCase() === 'GET') {
    const session = req.query.session?.trim() || undefined;
    return {
      kind: 'return',
      dedupeKey: `sandbox:return:${session ?? '-'}`,
      ref: session ? { providerPaymentId: session } : {},
    };
  }
  const notification = parseBody(req.rawBody);
  const { data } = notification;
  const timestampSec = Number(header(req.headers, 'webhook-timestamp'));
  return {
    kind: 'notification',
    // The gateway keeps webhook-id across redeliveries of one message: that is the duplicate.
    dedupeKey: `sandbox:${header(req.headers, 'webhook-id') ?? '-'}`,
    ref: { providerOrderNo: data.orderNo, providerPaymentId: data.sessionId },
    fact: verification.authenticated ? factOf(notification, timestampSec * 1000) : undefined,
  };
}

function parseBody(rawBody: Buffer): SandboxNotification {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new InboundRejectedError('sandbox_bad_body', 400, 'sandbox notification body is not JSON');
  }
  const parsed = sandboxNotificationSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new InboundRejectedError(
      'sandbox_bad_body',
      400,
      `sandbox notification is not {"type":"payment.succeeded"|"payment.failed"|"payment.refunded","data":{…}}: ${issues}`,
    );
  }
  return parsed.data;
}

function factOf(n: SandboxNotification, occurredAt: number): ProviderFact {
  const common = {
    amountMinor: n.data.amountMinor,
    currency: n.data.currency,
    providerPaymentId: n.data.sessionId,
    providerOrderNo: n.data.orderNo,
    rawStatus: n.type,
    occurredAt,
    ...(n.data.refundedMinor !== undefined ? { refundedTotalMinor: n.data.refundedMinor } : {}),
  };
  switch (n.type) {
    case 'payment.succeeded':
      return { status: 'paid', ...common };
    case 'payment.failed':
      return { status: 'failed', ...common };
    case 'payment.refunded':
      // A refund does not undo the payment: still paid, with the cumulative refunded total.
      return { status: 'paid', ...common, refundedTotalMinor: n.data.refundedMinor };
  }
}
