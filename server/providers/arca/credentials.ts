import { z } from 'zod';

/**
 * Settings.providers.arca: the API user of ArCa iPay/EPG or another BPC-gateway bank (chosen by
 * baseUrl). Some banks issue one API user per currency: configure the one for the payments' currency.
 */
export const arcaCredentialsSchema = z.strictObject({
  userName: z.string().min(1, 'userName is the merchant API user (usually ending in _api)'),
  password: z.string().min(1, 'password is the merchant API password'),
  /**
   * Symmetric HMAC-SHA256 key for checksum callbacks, when the bank enabled them. Once set,
   * every callback must carry a valid checksum.
   */
  checksumKey: z.string().min(1).optional(),
});

export type ArcaCredentials = z.infer<typeof arcaCredentialsSchema>;

export const ARCA_SECRET_FIELDS = ['password', 'checksumKey'] as const;
