import { hmacSha256, safeEqual } from '../crypto/hmac.ts';

/** How long the page after an install may be opened from the link the install redirected to. */
export const CONNECTED_LINK_TTL_MS = 15 * 60_000;

/** The key the connected-page links are signed with, derived from SECRETS_KEY (never the key itself). */
export function connectedLinkKey(secretsKey: Buffer): Buffer {
  return Buffer.from(hmacSha256(secretsKey, 'dramlink oauth connected page v1', 'hex'), 'hex');
}

function signature(key: Buffer, accountId: number, exp: number): string {
  return hmacSha256(key, `${accountId}|${exp}`, 'hex');
}

/**
 * `/oauth/connected?…` for the install that just succeeded: the account id with an expiry and a
 * signature, so the page names the account only to the browser the install redirected, for a
 * quarter of an hour; a guessed or edited link learns nothing.
 */
export function connectedLink(key: Buffer, accountId: number, now: number): string {
  const exp = now + CONNECTED_LINK_TTL_MS;
  return `/oauth/connected?${new URLSearchParams({ account_id: String(accountId), exp: String(exp), sig: signature(key, accountId, exp) })}`;
}

/** The account a connected-page link names, when it is genuine and not expired; undefined otherwise. */
export function verifyConnectedLink(key: Buffer, query: Record<string, unknown>, now: number): number | undefined {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const accountId = Number(text(query.account_id));
  const exp = Number(text(query.exp));
  if (!Number.isSafeInteger(accountId) || accountId <= 0 || !Number.isSafeInteger(exp) || exp < now) return undefined;
  return safeEqual(text(query.sig), signature(key, accountId, exp)) ? accountId : undefined;
}
