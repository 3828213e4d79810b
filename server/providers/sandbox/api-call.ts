import type { HttpResponse } from '../../platform/http-client.ts';
import { ProviderError } from '../errors.ts';
import type { ProviderContext } from '../provider.ts';
import { getOnce, postOnce } from '../transport/call-once.ts';
import { sandboxAuthHeader } from './api-key.ts';
import { errorResponseSchema } from './api-schemas.ts';
import type { SandboxCredentials } from './credentials.ts';
import { sandboxApiUrl } from './endpoints.ts';

/** The gateway runs beside us: ten seconds without an answer means something is stuck. */
const SANDBOX_TIMEOUT_MS = 10_000;

/**
 * One call to the sandbox gateway's merchant API, with our API key, through the same transport as
 * any provider: never retried, never-sent failures are `sandbox_unreachable`.
 */
export function callSandbox(
  ctx: ProviderContext<SandboxCredentials>,
  call: { method: 'GET' | 'POST'; path: string; operation: string; body?: Record<string, unknown> },
): Promise<HttpResponse> {
  const req = {
    url: sandboxApiUrl(ctx, call.path),
    headers: sandboxAuthHeader(ctx.credentials.webhookSecret, ctx.accountId),
    body: call.body,
    timeoutMs: SANDBOX_TIMEOUT_MS,
  };
  const labels = {
    provider: 'sandbox' as const,
    peer: 'the sandbox gateway',
    operation: call.operation,
    hostSetting: 'the sandbox baseUrl setting, or PUBLIC_URL',
  };
  return call.method === 'GET' ? getOnce(ctx, req, labels) : postOnce(ctx, req, labels);
}

/** JSON body or a ProviderError that says what came back instead. */
export function parseJson(res: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    throw new ProviderError(
      'sandbox',
      'sandbox_bad_response',
      `${what}: HTTP ${res.status} with a body that is not JSON`,
      { status: res.status },
      { said: res.text },
    );
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

/** A non-2xx the caller has no specific meaning for; the gateway's own sandbox_* code when it gave one. */
export function unexpectedStatus(res: HttpResponse, what: string): ProviderError {
  const err = gatewayError(res);
  if (res.status === 401) {
    return new ProviderError(
      'sandbox',
      'sandbox_unauthorized',
      `${what}: the gateway refused our API key; the webhookSecret changed since the session was created, or PUBLIC_URL points at another server`,
    );
  }
  const code = err && /^sandbox_[a-z_]{1,60}$/.test(err.code) ? err.code : 'sandbox_http_error';
  return new ProviderError('sandbox', code, `${what}: HTTP ${res.status}`, { status: res.status }, { said: res.text });
}
