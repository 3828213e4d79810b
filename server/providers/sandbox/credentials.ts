import { z } from 'zod';
import { isUsableWebhookSecret } from './standard-webhooks.ts';

export const sandboxCredentialsSchema = z.strictObject({
  /**
   * Signs the gateway's notifications (Standard Webhooks) and derives its API key. Either
   * `whsec_<base64 of at least 16 bytes>` or any string of at least 8 characters (used as UTF-8 bytes).
   */
  webhookSecret: z
    .string()
    .min(8, 'webhookSecret must have at least 8 characters (or be whsec_<base64>)')
    .refine(isUsableWebhookSecret, 'webhookSecret starting with whsec_ must be followed by base64 of at least 16 bytes'),
});

export type SandboxCredentials = z.infer<typeof sandboxCredentialsSchema>;

export const SANDBOX_SECRET_FIELDS = ['webhookSecret'] as const;
