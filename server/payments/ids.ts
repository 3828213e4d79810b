import { randomBytes } from 'node:crypto';
import { randomToken } from '../crypto/hmac.ts';

/**
 * Time-ordered ids (`pay_…`, `att_…`, `ref_…`): a base36 millisecond prefix keeps them sortable by
 * creation, 64 random bits keep them unguessable across accounts.
 */
export function newId(prefix: string, now: number): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

/** The customer-facing link token: 192 random bits, URL-safe. */
export function newLinkToken(): string {
  return randomToken(24);
}
