import type { HttpClient, HttpRequest, HttpResponse } from '../../platform/http-client.ts';
import { HttpTransportError } from '../../platform/http-client.ts';
import { ProviderError, ProviderTimeoutError } from '../errors.ts';
import { errorResponseSchema } from './api-schemas.ts';

/** Errors that prove the request never reached the gateway; anything else may have been processed. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

/**
 * One call to the sandbox gateway, through the same HttpClient seam as any provider. A timeout or a
 * connection lost mid-request is ProviderTimeoutError (outcome unknown), a refused one ProviderError.
 */
export async function sandboxRequest(http: HttpClient, req: HttpRequest): Promise<HttpResponse> {
  try {
    return await http.request({ timeoutMs: 10_000, ...req });
  } catch (err) {
    if (!(err instanceof HttpTransportError)) throw err;
    if (err.timedOut || !NOT_SENT.has(err.code))
      throw new ProviderTimeoutError('sandbox', `no answer from the sandbox gateway: ${err.message}`);
    throw new ProviderError(
      'sandbox',
      'provider_unreachable',
      `cannot reach the sandbox gateway (${err.code}); check PUBLIC_URL or the sandbox baseUrl`,
    );
  }
}

/** JSON body or a ProviderError that says what came back instead. */
export function parseJson(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    throw new ProviderError('sandbox', 'bad_response', `${what}: HTTP ${res.status} with a body that is not JSON`, {
      status: res.status,
      body: res.text.slice(0, 300),
    });
  }
}

/** The gateway's `{"error":{code,message}}`, when the body is one. */
export function gatewayError(res: HttpResponse): { code: string; message: string } | undefined {
  try {
    const parsed = errorResponseSchema.safeParse(JSON.parse(res.text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

/** A non-2xx the caller has no specific meaning for. */
export function unexpectedStatus(res: HttpResponse, what: string): ProviderError {
  const err = gatewayError(res);
  if (res.status === 401) {
    return new ProviderError(
      'sandbox',
      'sandbox_unauthorized',
      `${what}: the gateway refused our API key; the webhookSecret changed since the session was created, or PUBLIC_URL points at another server`,
    );
  }
  return new ProviderError('sandbox', err?.code ?? 'provider_http_error', `${what}: HTTP ${res.status}${err ? ` ${err.message}` : ''}`, {
    status: res.status,
    body: res.text.slice(0, 300),
  });
}

export function baseOf(ctx: { baseUrl?: string; publicUrl: string }): string {
  return (ctx.baseUrl ?? ctx.publicUrl).replace(/\/+$/, '');
}
