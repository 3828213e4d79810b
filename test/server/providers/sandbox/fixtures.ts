import { ManualClock } from '../../../../server/platform/clock.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import type { SandboxCredentials } from '../../../../server/providers/sandbox/credentials.ts';
import { signStandardWebhook } from '../../../../server/providers/sandbox/standard-webhooks.ts';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);
export const NOW_SEC = NOW / 1000;

export function sandboxCtx(overrides: Partial<ProviderContext<SandboxCredentials>> = {}): ProviderContext<SandboxCredentials> {
  return {
    accountId: 31,
    mode: 'test',
    credentials: { webhookSecret: SECRET },
    http: createAxiosHttpClient(),
    clock: new ManualClock(NOW),
    publicUrl: 'https://pay.example.test',
    ...overrides,
  };
}

export function succeededBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'payment.succeeded',
    data: { sessionId: 'ses_abc', orderNo: 'sbx-4', amountMinor: 250000, currency: 'AMD', ...extra },
  });
}

/** A notification as the gateway would send it, signed over `body` exactly. */
export function signedPost(
  body: string,
  opts: { id?: string; timestampSec?: number; secret?: string; signature?: string; receivedAt?: number } = {},
): InboundRequest {
  const id = opts.id ?? 'msg_2dQk1';
  const timestampSec = opts.timestampSec ?? NOW_SEC;
  return {
    method: 'POST',
    query: {},
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestampSec),
      'webhook-signature': opts.signature ?? signStandardWebhook(opts.secret ?? SECRET, id, timestampSec, body),
    },
    rawBody: Buffer.from(body, 'utf8'),
    receivedAt: opts.receivedAt ?? NOW,
  };
}
