import { headerValue } from '../common/header-value.ts';
import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, InboundVerification, ProviderContext } from '../provider.ts';
import { WEBHOOK_TOLERANCE_SEC } from './constants.ts';
import type { SandboxCredentials } from './credentials.ts';
import { hasMatchingSignature, webhookSignatureBase64 } from './standard-webhooks.ts';

/**
 * A POST is a gateway notification and must be signed the Standard Webhooks way, checked over the
 * raw body before anything parses it. A GET is a browser that came back: nothing to verify.
 */
export function verifySandboxInbound(ctx: ProviderContext<SandboxCredentials>, req: InboundRequest): InboundVerification {
  if (req.method.toUpperCase() === 'GET') return { authenticated: false };
  verifyStandardWebhook({ secret: ctx.credentials.webhookSecret, headers: req.headers, rawBody: req.rawBody, receivedAt: req.receivedAt });
  return { authenticated: true };
}

export interface VerifiedWebhook {
  id: string;
  timestampSec: number;
}

/**
 * Standard Webhooks verification over the raw bytes, before anything parses the body: headers
 * present (400), timestamp within ±tolerance of when we received it (401, replay), one v1 signature
 * matching (401).
 */
export function verifyStandardWebhook(input: {
  secret: string;
  headers: Record<string, string>;
  rawBody: Buffer;
  receivedAt: number;
  toleranceSec?: number;
}): VerifiedWebhook {
  const id = header(input.headers, 'webhook-id');
  const timestamp = header(input.headers, 'webhook-timestamp');
  const signature = header(input.headers, 'webhook-signature');
  const missing = [!id && 'webhook-id', !timestamp && 'webhook-timestamp', !signature && 'webhook-signature'].filter(Boolean);
  if (!id || !timestamp || !signature) {
    throw new InboundRejectedError(
      'sandbox_missing_headers',
      400,
      `sandbox notification lacks ${missing.join(', ')}: it must be signed the Standard Webhooks way`,
    );
  }
  if (id.length > 256) throw new InboundRejectedError('sandbox_bad_webhook_id', 400, 'webhook-id is longer than 256 characters');
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new InboundRejectedError('sandbox_bad_timestamp', 400, `webhook-timestamp "${timestamp}" must be whole seconds since the epoch`);
  }
  const timestampSec = Number(timestamp);
  const toleranceSec = input.toleranceSec ?? WEBHOOK_TOLERANCE_SEC;
  if (Math.abs(input.receivedAt - timestampSec * 1000) > toleranceSec * 1000) {
    throw new InboundRejectedError(
      'sandbox_stale_timestamp',
      401,
      `webhook-timestamp is more than ${toleranceSec} s from our clock: a replay, or a sender/receiver clock out of sync`,
    );
  }
  const expected = webhookSignatureBase64(input.secret, id, timestamp, input.rawBody);
  if (!hasMatchingSignature(signature, expected)) {
    throw new InboundRejectedError(
      'sandbox_bad_signature',
      401,
      "no webhook-signature entry matches: the sandbox webhookSecret differs from the sender's, or the body was changed on the way",
    );
  }
  return { id, timestampSec };
}

/** A header's trimmed value; empty counts as absent. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  return headerValue(headers, name)?.trim() || undefined;
}
