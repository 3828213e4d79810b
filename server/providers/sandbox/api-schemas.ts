import { z } from 'zod';
import { CURRENCY_CODES, type Currency } from '../../../shared/money.ts';

/**
 * The gateway's merchant API answers as the adapter reads them. Lenient on extra fields (like any
 * provider API may add some), strict on the ones we use.
 */
export const SANDBOX_SESSION_STATUSES = ['pending', 'paid', 'failed', 'expired', 'cancelled'] as const;
export type SandboxSessionStatus = (typeof SANDBOX_SESSION_STATUSES)[number];

const currency = z.enum(CURRENCY_CODES as [Currency, ...Currency[]]);

export const createSessionResponseSchema = z.object({
  sessionId: z.string().min(1),
  checkoutUrl: z.url({ protocol: /^https?$/ }),
  /** epoch ms */
  expiresAt: z.int().positive(),
});
export type CreateSessionResponse = z.infer<typeof createSessionResponseSchema>;

export const sessionStatusResponseSchema = z.object({
  sessionId: z.string().min(1),
  orderNo: z.string().min(1),
  status: z.enum(SANDBOX_SESSION_STATUSES),
  amountMinor: z.int().positive(),
  currency,
  refundedMinor: z.int().nonnegative(),
  expiresAt: z.int().positive().optional(),
});
export type SessionStatusResponse = z.infer<typeof sessionStatusResponseSchema>;

export const refundResponseSchema = z.object({
  refundId: z.string().min(1),
  state: z.literal('succeeded'),
  amountMinor: z.int().positive(),
  refundedMinor: z.int().nonnegative(),
});
export type RefundResponse = z.infer<typeof refundResponseSchema>;

export const cancelResponseSchema = z.object({
  sessionId: z.string().min(1),
  status: z.enum(SANDBOX_SESSION_STATUSES),
});

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
