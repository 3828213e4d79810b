import { z } from 'zod';

/**
 * Which RESULT_URL checksum formula Telcell uses for this shop. The public sources disagree:
 * - 'invoice':       MD5(shop_key + invoice + issuer_id + payment_id + currency + sum + time + status)
 * - 'invoice_buyer': MD5(shop_key + invoice_id + issuer_id + payment_id + buyer + currency + sum + time + status)
 *   (seen in some public Telcell integrations: the invoice parameter is named invoice_id and buyer is present)
 */
export const TELCELL_CALLBACK_CHECKSUMS = ['invoice', 'invoice_buyer'] as const;
export type TelcellCallbackChecksum = (typeof TELCELL_CALLBACK_CHECKSUMS)[number];

export const telcellCredentialsSchema = z.strictObject({
  /** shop_id, sent as `issuer`; often an e-mail address. */
  shopId: z.string().trim().min(1, 'shopId is the shop_id (issuer) Telcell gave the merchant'),
  /** shop_key: the MD5 key of every checksum. */
  shopKey: z.string().min(1, 'shopKey is the shop_key Telcell gave the merchant'),
  /** Absent means 'invoice'; kept optional so saved settings round-trip unchanged. */
  callbackChecksum: z.enum(TELCELL_CALLBACK_CHECKSUMS, { message: "callbackChecksum must be 'invoice' or 'invoice_buyer'" }).optional(),
});

export type TelcellCredentials = z.infer<typeof telcellCredentialsSchema>;

export const TELCELL_SECRET_FIELDS = ['shopKey'] as const;

export function callbackChecksumOf(creds: TelcellCredentials): TelcellCallbackChecksum {
  return creds.callbackChecksum ?? 'invoice';
}
