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
  /**
   * Two-stage payments (the bank must allow them for the merchant): registerPreAuth.do holds the
   * funds, deposit.do captures, reverse.do releases. Off: register.do (one-stage).
   */
  twoStage: z.boolean().optional(),
  /** Two-stage only: `auto` (default) captures a hold at once; `manual` leaves Capture and Void to an admin. */
  captureMode: z.enum(['auto', 'manual']).optional(),
});

export type ArcaCredentials = z.infer<typeof arcaCredentialsSchema>;

export const ARCA_SECRET_FIELDS = ['password', 'checksumKey'] as const;
