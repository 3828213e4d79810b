import { HttpTransportError, type HttpClient } from '../platform/http-client.ts';
import { AmocrmError } from './errors.ts';
import { classify } from './retry-policy.ts';
import type { TokenPair } from './token-store.ts';

export type Grant = { grant_type: 'authorization_code'; code: string } | { grant_type: 'refresh_token'; refresh_token: string };

export interface OAuthClientSettings {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/**
 * amoCRM refused the grant (400/401): the code was used, expired or is someone else's, or the
 * refresh token was already spent. Retrying the same grant can never succeed.
 */
export class GrantRejectedError extends AmocrmError {
  readonly hint?: string;
  constructor(status: number, title: string, hint?: string) {
    super('amocrm_needs_reconnect', `amoCRM refused the grant (${status} ${title})`, { httpStatus: status, retryable: false });
    this.name = 'GrantRejectedError';
    this.hint = hint;
  }
}

/**
 * `POST {base}/oauth2/access_token` for a code or a refresh token. One attempt: the caller decides
 * about retries (a refresh token is single-use, so a refresh must not be blindly repeated).
 */
export async function exchangeGrant(
  http: HttpClient,
  input: { baseUrl: string; settings: OAuthClientSettings; grant: Grant; timeoutMs: number },
): Promise<TokenPair> {
  const { settings } = input;
  let res;
  try {
    res = await http.request({
      method: 'POST',
      url: `${input.baseUrl}/oauth2/access_token`,
      headers: { accept: 'application/json' },
      body: { client_id: settings.clientId, client_secret: settings.clientSecret, redirect_uri: settings.redirectUri, ...input.grant },
      timeoutMs: input.timeoutMs,
    });
  } catch (err) {
    if (err instanceof HttpTransportError) {
      const row = classify({ kind: 'network', timedOut: err.timedOut, errno: err.code })!;
      throw new AmocrmError(row.code, `amoCRM token endpoint: ${err.message}`, { retryable: true, ambiguous: row.ambiguous });
    }
    throw err;
  }
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(res.text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  if (res.status === 400 || res.status === 401) {
    throw new GrantRejectedError(res.status, String(json?.title ?? json?.hint ?? 'rejected'), json?.hint ? String(json.hint) : undefined);
  }
  if (res.status < 200 || res.status >= 300) {
    const row = classify({ kind: 'status', status: res.status, body: res.text });
    throw new AmocrmError(row?.code ?? 'amocrm_client_error', `amoCRM token endpoint answered ${res.status}`, {
      httpStatus: res.status,
      retryable: row?.action === 'retry',
      ambiguous: row?.ambiguous ?? false,
      body: res.text.slice(0, 300),
    });
  }
  const access = json?.access_token;
  const refresh = json?.refresh_token;
  const expiresIn = Number(json?.expires_in);
  if (typeof access !== 'string' || typeof refresh !== 'string' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new AmocrmError('amocrm_bad_response', 'amoCRM token endpoint answered without a token pair', { httpStatus: res.status });
  }
  return { accessToken: access, refreshToken: refresh, expiresIn };
}
