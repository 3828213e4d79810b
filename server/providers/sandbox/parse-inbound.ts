import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, ParsedInbound, ProviderContext, ProviderFact } from '../provider.ts';
import type { SandboxCredentials } from './credentials.ts';
import { sandboxNotificationSchema, type SandboxNotification } from './notification-body.ts';
import { verifyStandardWebhook } from './verify-webhook.ts';

/**
 * A POST is a notification: verified over the raw body first, then parsed strictly. A GET is a
 * browser that came back (`?session=` or nothing): unauthenticated, it only triggers a status query.
 */
export function parseSandboxInbound(ctx: ProviderContext<SandboxCredentials>, req: InboundRequest): ParsedInbound {
  if (req.method.toUpperCase() === 'GET') {
    const session = req.query.session?.trim() || undefined;
    return {
      kind: 'return',
      authenticated: false,
      dedupeKey: `sandbox:return:${session ?? '-'}:${req.receivedAt}`,
      ref: session ? { providerPaymentId: session } : {},
    };
  }
  const verified = verifyStandardWebhook({
    secret: ctx.credentials.webhookSecret,
    headers: req.headers,
    rawBody: req.rawBody,
    receivedAt: req.receivedAt,
  });
  const notification = parseBody(req.rawBody);
  const { data } = notification;
  return {
    kind: 'notification',
    authenticated: true,
    // The gateway keeps webhook-id across redeliveries of one message: that is the duplicate.
    dedupeKey: `sandbox:${verified.id}`,
    ref: { providerOrderNo: data.orderNo, providerPaymentId: data.sessionId },
    fact: factOf(notification, verified.timestampSec * 1000),
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
