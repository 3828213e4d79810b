import { hmacSha256, safeEqual } from '../../crypto/hmac.ts';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${raw body}` and the signature HMAC-SHA256 over it, base64.
 */

const WHSEC_PREFIX = 'whsec_';

/**
 * The HMAC key of a secret: `whsec_<base64>` (the Standard Webhooks form) is the decoded bytes; any
 * other string is its UTF-8 bytes, so a plain password typed into the settings also works.
 */
export function webhookSecretKey(secret: string): Buffer {
  if (secret.startsWith(WHSEC_PREFIX)) return Buffer.from(secret.slice(WHSEC_PREFIX.length), 'base64');
  return Buffer.from(secret, 'utf8');
}

/** Whether a `whsec_` secret decodes to key bytes (the credentials schema refuses it otherwise). */
export function isUsableWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(WHSEC_PREFIX)) return secret.length > 0;
  const encoded = secret.slice(WHSEC_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && webhookSecretKey(secret).length >= 16;
}

/** The base64 signature alone (no version prefix) over exactly these body bytes. */
export function webhookSignatureBase64(secret: string, id: string, timestampSec: number | string, body: string | Buffer): string {
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const content = Buffer.concat([Buffer.from(`${id}.${timestampSec}.`, 'utf8'), bodyBytes]);
  return hmacSha256(webhookSecretKey(secret), content, 'base64');
}

/**
 * The `webhook-signature` header value for one message: `v1,<base64>`. Used by the sandbox gateway
 * when it sends, and by tests that play the gateway.
 */
export function signStandardWebhook(secret: string, id: string, timestampSec: number, body: string | Buffer): string {
  return `v1,${webhookSignatureBase64(secret, id, timestampSec, body)}`;
}

/**
 * True when any `v1,<sig>` entry of a space-separated `webhook-signature` header matches (senders list
 * several while rotating secrets). Other versions (v1a, asymmetric) are ignored. Constant-time per entry.
 */
export function hasMatchingSignature(header: string, expectedBase64: string): boolean {
  let matched = false;
  for (const entry of header.trim().split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma <= 0 || entry.slice(0, comma) !== 'v1') continue;
    // No early exit: every entry costs the same whatever matches.
    if (safeEqual(entry.slice(comma + 1), expectedBase64)) matched = true;
  }
  return matched;
}
