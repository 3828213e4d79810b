import { z } from 'zod';
import { CURRENCY_CODES, MAX_AMOUNT_MINOR, type Currency } from '../../shared/money.ts';
import { SANDBOX_MAX_TTL_SEC, SANDBOX_MIN_TTL_SEC, SANDBOX_SESSION_TTL_SEC } from '../../server/providers/sandbox/constants.ts';

const httpUrl = z.url({ protocol: /^https?$/ });

/** POST /api/sessions, strictly: a misspelt field is an error, not a silently missing option. */
export const createSessionBodySchema = z.strictObject({
  orderNo: z.string().trim().min(1).max(128),
  amountMinor: z.int().positive().max(MAX_AMOUNT_MINOR),
  currency: z.enum(CURRENCY_CODES as [Currency, ...Currency[]]),
  description: z.string().max(1000).default(''),
  returnUrl: httpUrl,
  /** Must end with /webhooks/sandbox/:accountId: the account is read from it. */
  notifyUrl: httpUrl,
  ttlSec: z.int().min(SANDBOX_MIN_TTL_SEC).max(SANDBOX_MAX_TTL_SEC).default(SANDBOX_SESSION_TTL_SEC),
});

/** POST /api/sessions/:id/refunds; refundId makes a repeated call return the first refund. */
export const refundBodySchema = z.strictObject({
  amountMinor: z.int().positive().max(MAX_AMOUNT_MINOR),
  refundId: z.string().trim().min(1).max(128),
});

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}
