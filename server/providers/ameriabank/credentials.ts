import { z } from 'zod';

/** Ameriabank's OrderID is a .NET int: anything above Int32 cannot be bound server-side. */
export const AMERIABANK_MAX_ORDER_ID = 2_147_483_647;

const orderId = z.number().int().positive().max(AMERIABANK_MAX_ORDER_ID);

/**
 * Settings.providers.ameriabank: the vPOS API user of one ClientID. The test OrderID range is
 * issued per merchant by the bank; it is optional here because mode is a separate setting:
 * orderNo() refuses test mode without it.
 */
export const ameriabankCredentialsSchema = z
  .strictObject({
    clientId: z.string().trim().min(1, 'clientId is the ClientID GUID Ameriabank issued'),
    username: z.string().min(1, 'username is the vPOS API user name'),
    password: z.string().min(1, 'password is the vPOS API password'),
    /** The ClientID was set up by the bank for two-stage (approve, then ConfirmPayment). */
    twoStage: z.boolean().optional(),
    /**
     * Two-stage only: `auto` (default) confirms a hold at once; `manual` leaves Capture and Void to an
     * admin in the payment panel (the bank releases an unconfirmed hold by itself after some days).
     */
    captureMode: z.enum(['auto', 'manual']).optional(),
    testOrderIdFrom: orderId.optional(),
    testOrderIdTo: orderId.optional(),
    /**
     * Live OrderID = counter + orderIdOffset. OrderIDs are unique per ClientID and a reused one
     * silently overwrites the earlier order, so a ClientID shared with another shop must start
     * above that shop's numbers.
     */
    orderIdOffset: z
      .number()
      .int()
      .nonnegative()
      .max(AMERIABANK_MAX_ORDER_ID - 1)
      .optional(),
  })
  .refine((c) => (c.testOrderIdFrom === undefined) === (c.testOrderIdTo === undefined), {
    message: 'testOrderIdFrom and testOrderIdTo go together: set both (the range Ameriabank issued) or neither',
    path: ['testOrderIdTo'],
  })
  .refine((c) => c.testOrderIdFrom === undefined || c.testOrderIdTo === undefined || c.testOrderIdFrom <= c.testOrderIdTo, {
    message: 'testOrderIdFrom must not be greater than testOrderIdTo',
    path: ['testOrderIdTo'],
  });

export type AmeriabankCredentials = z.infer<typeof ameriabankCredentialsSchema>;

export const AMERIABANK_SECRET_FIELDS = ['password'] as const;
