import { HttpTransportError } from '../../platform/http-client.ts';
import { ProviderError, ProviderTimeoutError } from '../errors.ts';
import type { ProviderContext } from '../provider.ts';
import { ameriabankOperationUrl } from './endpoints.ts';
import { parseBody, type AmeriabankBody } from './fields.ts';

export interface AmeriabankAnswer {
  httpStatus: number;
  body: AmeriabankBody | undefined;
  text: string;
}

/** Failures where the request surely never left us: safe to report as "not done". */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * One POST, never retried here: InitPayment overwrites an order unless the body is byte-identical,
 * and Refund/Cancel have no idempotency key. A timeout or a reset leaves the outcome unknown, which
 * only a status query may settle (ProviderTimeoutError).
 */
export async function callAmeriabank(
  ctx: ProviderContext,
  operation: string,
  body: Record<string, unknown>,
): Promise<AmeriabankAnswer> {
  try {
    const res = await ctx.http.request({ method: 'POST', url: ameriabankOperationUrl(ctx, operation), body });
    return { httpStatus: res.status, body: parseBody(res.text), text: res.text };
  } catch (err) {
    if (err instanceof HttpTransportError && !err.timedOut && NOT_SENT_CODES.has(err.code)) {
      throw new ProviderError(
        'ameriabank',
        'ameriabank_unreachable',
        `could not reach Ameriabank for ${operation} (${err.code}); nothing was sent. Check the host (baseUrl) and network, then try again.`,
      );
    }
    if (err instanceof HttpTransportError) {
      throw new ProviderTimeoutError(
        'ameriabank',
        `no answer from Ameriabank to ${operation} (${err.code}); the outcome is unknown, check the payment status before trying again.`,
      );
    }
    throw err;
  }
}

export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
