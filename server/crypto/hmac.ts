import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two strings; false (never throws) when lengths differ. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    // Compare against itself so the time does not depend on where the mismatch is.
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

export function hmacSha256(key: string | Buffer, message: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', key).update(message).digest(encoding);
}

export function md5Hex(message: string): string {
  return createHash('md5').update(message, 'utf8').digest('hex');
}

export function sha256Hex(message: string | Buffer): string {
  return createHash('sha256').update(message).digest('hex');
}

/** URL-safe random token; 24 bytes = 192 bits. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
