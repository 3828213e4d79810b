import { z } from 'zod';
import { CURRENCY_CODES, MAX_AMOUNT_MINOR, type Currency } from '../../../shared/money.ts';

export const SANDBOX_EVENT_TYPES = ['payment.succeeded', 'payment.failed', 'payment.refunded'] as const;
export type SandboxEventType = (typeof SANDBOX_EVENT_TYPES)[number];

const amount = z.int().positive().max(MAX_AMOUNT_MINOR);
const currency = z.enum(CURRENCY_CODES as [Currency, ...Currency[]]);

const paymentData = z.strictObject({
  sessionId: z.string().min(1).max(128),
  orderNo: z.string().min(1).max(128),
  amountMinor: amount,
  currency,
  /** Cumulative refunds so far; required on payment.refunded. */
  refundedMinor: z.int().nonnegative().max(MAX_AMOUNT_MINOR).optional(),
});

const refundedData = paymentData.extend({ refundedMinor: amount });

/**
 * The notification body, strictly: an unknown type or an extra field is refused, so a change on the
 * sending side shows up as a 400 instead of being half understood.
 */
export const sandboxNotificationSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('payment.succeeded'), data: paymentData }),
    z.strictObject({ type: z.literal('payment.failed'), data: paymentData }),
    z.strictObject({ type: z.literal('payment.refunded'), data: refundedData }),
  ])
  .refine((n) => (n.data.refundedMinor ?? 0) <= n.data.amountMinor, {
    message: 'refundedMinor cannot exceed amountMinor',
    path: ['data', 'refundedMinor'],
  });

export type SandboxNotification = z.infer<typeof sandboxNotificationSchema>;
