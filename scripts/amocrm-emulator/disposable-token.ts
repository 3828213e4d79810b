import { createHmac, randomUUID } from 'node:crypto';
import type { AmoDomain, DisposableTokenInput } from './types.ts';

/** amoCRM's disposable tokens live 30 minutes (https://developers.kommo.com/docs/one-time-tokens). */
export const DISPOSABLE_TTL_SEC = 1800;

export interface DisposableTokenContext {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  now: () => number;
  account: { subdomain: string; domain: AmoDomain };
  /** The user's own admin flag, used when the caller does not say. */
  userIsAdmin: boolean;
}

/**
 * An X-Auth-Token as amoCRM's `$authorizedAjax` sends it: HS256 with the integration secret,
 * `aud` = origin of the redirect URI, the claims amoCRM documents
 * (https://developers.kommo.com/docs/one-time-tokens).
 */
export function signDisposableToken(input: DisposableTokenInput, c: DisposableTokenContext): string {
  const iat = Math.floor(c.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: `https://${c.account.subdomain}.${c.account.domain}`,
    aud: new URL(c.redirectUri).origin,
    jti: randomUUID(),
    iat,
    nbf: iat,
    exp: iat + DISPOSABLE_TTL_SEC,
    account_id: input.accountId,
    user_id: input.userId,
    client_uuid: c.clientId,
    subdomain: c.account.subdomain,
    is_admin: input.isAdmin ?? c.userIsAdmin,
  };
  for (const [k, v] of Object.entries(input.overrides ?? {})) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  return signHs256(claims, input.secret ?? c.clientSecret);
}

/**
 * Signed by hand rather than with jsonwebtoken, which fills in or rejects claims on its own:
 * overrides must reach the token exactly as given (a string `exp`, no `iat`) for negative tests.
 */
function signHs256(claims: Record<string, unknown>, secret: string): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part({ typ: 'JWT', alg: 'HS256' })}.${part(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
