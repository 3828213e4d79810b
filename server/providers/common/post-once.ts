import { CONNECT_TIMEOUT_CODE, HttpTransportError, type HttpRequest, type HttpResponse } from '../../platform/http-client.ts';
import { ProviderError, ProviderTimeoutError } from '../errors.ts';
import type { ProviderContext } from '../provider.ts';

/** Failures where the request surely never left us: safe to report as "not done". */
const NOT_SENT_CODES = new Set([
  CONNECT_TIMEOUT_CODE,
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

export interface PostOnceLabels {
  /** Provider id for errors, e.g. "arca". */
  provider: string;
  /** What the customer-facing text calls the other side, e.g. "Ameriabank" or "the payment gateway". */
  peer: string;
  /** The operation, e.g. "InitPayment" or "register.do". */
  operation: string;
  /** How to fix an unreachable host, e.g. "Check the host (baseUrl) and network, then try again." */
  unreachableHint: string;
}

/**
 * One request to a bank, never retried here: money-moving calls have no idempotency key, and a
 * repeated order number is rejected or overwrites the first. A refused connection means nothing
 * was sent (`<provider>_unreachable`); a timeout or reset leaves the outcome unknown
 * (ProviderTimeoutError) for a status query to settle.
 */
export async function postOnce(ctx: ProviderContext<any>, req: HttpRequest, labels: PostOnceLabels): Promise<HttpResponse> {
  try {
    return await ctx.http.request(req);
  } catch (err) {
    if (err instanceof HttpTransportError && !err.timedOut && NOT_SENT_CODES.has(err.code)) {
      throw new ProviderError(
        labels.provider,
        `${labels.provider}_unreachable`,
        `could not reach ${labels.peer} for ${labels.operation} (${err.code}); nothing was sent. ${labels.unreachableHint}`,
      );
    }
    if (err instanceof HttpTransportError) {
      throw new ProviderTimeoutError(
        labels.provider,
        `no answer from ${labels.peer} to ${labels.operation} (${err.code}); the outcome is unknown, check the payment status before trying again.`,
      );
    }
    throw err;
  }
}

/** A provider's answer, flattened and cut, for an error message. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
