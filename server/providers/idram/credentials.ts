import { z } from 'zod';

/**
 * Settings.providers.idram credentials. Idram staff configure RESULT_URL, SUCCESS_URL, FAIL_URL and
 * the SECRET_KEY for the merchant; we only need the IdramID and that key.
 */
export const idramCredentialsSchema = z.strictObject({
  /** The merchant's IdramID, sent as EDP_REC_ACCOUNT. */
  recAccount: z
    .string()
    .trim()
    .min(1, 'recAccount is the IdramID (EDP_REC_ACCOUNT) Idram gave the merchant')
    .max(64)
    .regex(/^\S+$/, 'recAccount must not contain spaces'),
  /** SECRET_KEY from Idram, used only in the confirmation checksum. */
  secretKey: z.string().min(1, 'secretKey is the SECRET_KEY Idram configured for the merchant'),
});

export type IdramCredentials = z.infer<typeof idramCredentialsSchema>;

export const IDRAM_SECRET_FIELDS = ['secretKey'] as const;
