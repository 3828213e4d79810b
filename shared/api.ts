import { z } from 'zod';
import { CRM_STATUSES } from './crm-status.ts';
import { CURRENCY_CODES, MAX_AMOUNT_MINOR } from './money.ts';
import { ATTEMPT_STATUSES, PAYMENT_STATUSES } from './status.ts';

/**
 * The HTTP contract between the widget and the server (the routes are described in openapi.yaml),
 * as strict zod schemas shared by both sides. Unknown fields are a 400, not silently dropped.
 */

/** active · needs_reconnect (amoCRM refused our tokens) · disconnected (the integration was disabled) · blocked (amoCRM answered 403). */
export const ACCOUNT_STATES = ['active', 'needs_reconnect', 'disconnected', 'blocked'] as const;
export const accountStateSchema = z.enum(ACCOUNT_STATES);
export type AccountState = z.infer<typeof accountStateSchema>;

/**
 * The languages dramlink writes into amoCRM (notes, tasks, the status field's labels): the account's
 * `Settings.language`, detected from the installing admin's amoCRM language when not chosen.
 */
export const ACCOUNT_LANGUAGES = ['ru', 'en', 'es', 'pt'] as const;
export const accountLanguageSchema = z.enum(ACCOUNT_LANGUAGES);
export type AccountLanguage = z.infer<typeof accountLanguageSchema>;

export const providerNameSchema = z.enum(['ameriabank', 'arca', 'idram', 'telcell', 'sandbox']);
export const currencySchema = z.enum(CURRENCY_CODES as [string, ...string[]]);
export const crmStatusSchema = z.enum(CRM_STATUSES);
export const amountMinorSchema = z.number().int().positive().max(MAX_AMOUNT_MINOR);

export const createPaymentBodySchema = z
  .object({
    amountMinor: amountMinorSchema.optional(),
    currency: currencySchema.optional(),
    description: z.string().trim().min(1).max(500).optional(),
    providers: z.array(providerNameSchema).min(1).max(5).optional(),
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .optional(),
  })
  .strict();
export type CreatePaymentBody = z.infer<typeof createPaymentBodySchema>;

export const resendBodySchema = z.object({ channel: z.enum(['copy', 'email', 'sms', 'chat', 'other']).optional() }).strict();
export type ResendBody = z.infer<typeof resendBodySchema>;

export const emptyBodySchema = z.object({}).strict();

export const refundBodySchema = z.object({ amountMinor: amountMinorSchema.optional() }).strict();
export type RefundBody = z.infer<typeof refundBodySchema>;

export const attemptSchema = z.object({
  id: z.string(),
  provider: providerNameSchema,
  providerOrderNo: z.string(),
  providerPaymentId: z.string().nullable(),
  status: z.enum(ATTEMPT_STATUSES),
  amountMinor: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const historyEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  details: z.unknown().optional(),
});

export const paymentSchema = z.object({
  id: z.string(),
  leadId: z.number().int(),
  status: z.enum(PAYMENT_STATUSES),
  crmStatus: crmStatusSchema,
  needsReview: z.object({ reason: z.string(), since: z.string() }).nullable(),
  amountMinor: z.number().int(),
  currency: currencySchema,
  description: z.string().nullable(),
  link: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  paidAt: z.string().nullable(),
  paidAmountMinor: z.number().int().nullable(),
  refundedAmountMinor: z.number().int(),
  providerRef: z.string().nullable(),
  providers: z.array(providerNameSchema),
  attempts: z.array(attemptSchema),
  history: z.array(historyEntrySchema),
  sync: z.object({
    state: z.enum(['synced', 'pending', 'failing']),
    lastError: z.string().nullable(),
    attempts: z.number().int(),
  }),
});
export type PaymentView = z.infer<typeof paymentSchema>;

export const leadPaymentsResponseSchema = z.object({
  leadId: z.number().int(),
  crmStatus: crmStatusSchema.nullable(),
  payments: z.array(paymentSchema),
  /** Not in the original contract table: lets the panel open with one request (lead price, providers, exceptions). */
  context: z
    .object({
      leadPriceMinor: z.number().int().nullable(),
      defaultCurrency: currencySchema,
      linkTtlHours: z.number().int(),
      enabledProviders: z.array(providerNameSchema),
      /** The currencies each enabled provider takes, so the create form offers only those that fit. */
      providerCurrencies: z.partialRecord(providerNameSchema, z.array(currencySchema)).optional(),
      isAdmin: z.boolean(),
      accountState: accountStateSchema,
      exceptions: z.array(z.lazy(() => exceptionSchema)),
    })
    .optional(),
});
export type LeadPaymentsResponse = z.infer<typeof leadPaymentsResponseSchema>;

export const providerSettingsSchema = z
  .object({
    enabled: z.boolean(),
    mode: z.enum(['test', 'live']),
    baseUrl: z.string().url().optional(),
  })
  .catchall(z.unknown());

export const stageMappingSchema = z.partialRecord(
  crmStatusSchema,
  z.object({ pipelineId: z.number().int().positive(), statusId: z.number().int().positive() }).strict(),
);

export const settingsSchema = z
  .object({
    providers: z.partialRecord(providerNameSchema, providerSettingsSchema).default({}),
    defaultCurrency: currencySchema.default('AMD'),
    linkTtlHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    stageMapping: stageMappingSchema.optional(),
    taskResponsibleUserId: z.number().int().positive().optional(),
    merchantName: z.string().trim().min(1).max(120).optional(),
    language: accountLanguageSchema.optional(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

/** GET /settings also carries the account's lead pipelines (when amoCRM answered in time) for the stage mapping. */
export const settingsResponseSchema = settingsSchema.extend({
  pipelines: z
    .array(z.object({ id: z.number().int(), name: z.string(), statuses: z.array(z.object({ id: z.number().int(), name: z.string() })) }))
    .optional(),
});
export type SettingsResponse = z.infer<typeof settingsResponseSchema>;

export const exceptionSchema = z.object({
  id: z.string(),
  kind: z.enum(['needs_review', 'sync_failing', 'account_needs_reconnect', 'account_blocked', 'refund_failed']),
  paymentId: z.string().nullable(),
  leadId: z.number().int().nullable(),
  message: z.string(),
  action: z.string(),
  since: z.string(),
});
export type ExceptionView = z.infer<typeof exceptionSchema>;

export const exceptionsResponseSchema = z.object({ exceptions: z.array(exceptionSchema) });

export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
