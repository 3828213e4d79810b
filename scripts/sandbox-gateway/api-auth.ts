import { safeEqual } from '../../server/crypto/hmac.ts';
import { sandboxApiKey } from '../../server/providers/sandbox/api-key.ts';

export type SecretLookup = (accountId: string) => string | undefined | Promise<string | undefined>;

/**
 * Checks `Authorization: Bearer <key>` against the key derived from the account's webhookSecret.
 * An account without a sandbox secret cannot use the API at all.
 */
export async function isAuthorized(authorization: string | undefined, accountId: string, secretFor: SecretLookup): Promise<boolean> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  const secret = await secretFor(accountId);
  if (!match || !secret) return false;
  return safeEqual(match[1], sandboxApiKey(secret, accountId));
}
