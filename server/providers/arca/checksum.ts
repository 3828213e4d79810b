import { hmacSha256, safeEqual } from '../../crypto/hmac.ts';

/** Not part of the signed data. */
const UNSIGNED = new Set(['checksum', 'sign_alias']);

/**
 * The BPC gateway's callback checksum (its "callback notifications with checksum" option): drop
 * checksum and sign_alias, sort by name ascending, join as `name;value;` (trailing `;` included).
 */
export function arcaChecksumPayload(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => !UNSIGNED.has(name.toLowerCase()))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name};${params[name]};`)
    .join('');
}

/** Uppercase hex HMAC-SHA256 with the bank's shared callback key. */
export function arcaChecksum(params: Record<string, string>, key: string): string {
  return hmacSha256(key, arcaChecksumPayload(params), 'hex').toUpperCase();
}

/** Constant-time; the received value may come in either case. */
export function verifyArcaChecksum(params: Record<string, string>, received: string, key: string): boolean {
  return safeEqual(arcaChecksum(params, key), received.trim().toUpperCase());
}
