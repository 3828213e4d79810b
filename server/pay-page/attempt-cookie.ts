import type { Request, Response } from 'express';

/**
 * The attempt a browser opened, remembered in that browser: Idram sends the customer back to a
 * fixed URL with only its bill number, a small counter anyone could guess, so only the browser
 * that started the attempt is shown the payment itself (amount, description, the way back to its
 * link). HttpOnly, SameSite=Lax (sent on the top-level redirect back from the provider), /pay only,
 * one day, Secure when PUBLIC_URL is https.
 */
export const ATTEMPT_COOKIE = 'dramlink_attempt';
const MAX_AGE_MS = 24 * 3_600_000;

export function rememberAttempt(res: Response, attemptId: string, publicUrl: string): void {
  res.cookie(ATTEMPT_COOKIE, attemptId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: publicUrl.startsWith('https://'),
    path: '/pay',
    maxAge: MAX_AGE_MS,
  });
}

/** The attempt id the browser carries, if any (no cookie parser: one name, read by hand). */
export function rememberedAttempt(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === ATTEMPT_COOKIE) {
      const id = decodeURIComponent(value.join('='));
      return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
    }
  }
  return undefined;
}
