import { hmacSha256 } from '../../crypto/hmac.ts';
import { webhookSecretKey } from './standard-webhooks.ts';

/**
 * The sandbox gateway's merchant API is authenticated like a real provider's: `Authorization:
 * Bearer <key>`. The key is derived from the account's webhookSecret so there is one setting, and the
 * secret itself never travels: base64url(HMAC-SHA256(secret key, "dramlink-sandbox-api:" + accountId)).
 */
export function sandboxApiKey(webhookSecret: string, accountId: string | number): string {
  return hmacSha256(webhookSecretKey(webhookSecret), `dramlink-sandbox-api:${accountId}`, 'base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function sandboxAuthHeader(webhookSecret: string, accountId: string | number): Record<string, string> {
  return { authorization: `Bearer ${sandboxApiKey(webhookSecret, accountId)}` };
}
