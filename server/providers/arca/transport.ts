import { HttpTransportError } from '../../platform/http-client.ts';
import { ProviderError, ProviderTimeoutError } from '../errors.ts';
import type { ProviderContext } from '../provider.ts';
import type { ArcaCredentials } from './credentials.ts';
import { arcaMethodUrl } from './endpoints.ts';
import { parseBody, type ArcaBody } from './fields.ts';

export interface ArcaAnswer {
  httpStatus: number;
  body: ArcaBody | undefined;
  text: string;
}

/** Failures where the request surely never left us. */
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
 * One form-encoded POST to `{base}/{method}.do` with userName/password, never retried here:
 * register.do rejects a repeated orderNumber and reverse.do works once, so an unknown outcome
 * (timeout, reset) is reported as ProviderTimeoutError for a status query to settle.
 */
export async function callArca(
  ctx: ProviderContext<ArcaCredentials>,
  method: string,
  params: Record<string, string>,
): Promise<ArcaAnswer> {
  const form = new URLSearchParams({ userName: ctx.credentials.userName, password: ctx.credentials.password, ...params });
  try {
    const res = await ctx.http.request({ method: 'POST', url: arcaMethodUrl(ctx, method), body: form });
    return { httpStatus: res.status, body: parseBody(res.text), text: res.text };
  } catch (err) {
    if (err instanceof HttpTransportError && !err.timedOut && NOT_SENT_CODES.has(err.code)) {
      throw new ProviderError(
        'arca',
        'arca_unreachable',
        `could not reach the payment gateway for ${method}.do (${err.code}); nothing was sent. Check the host and test port (baseUrl) and the network.`,
      );
    }
    if (err instanceof HttpTransportError) {
      throw new ProviderTimeoutError(
        'arca',
        `no answer from the payment gateway to ${method}.do (${err.code}); the outcome is unknown, check the payment status before trying again.`,
      );
    }
    throw err;
  }
}

export function snippet(raw: string): string {
  const flat = raw.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
