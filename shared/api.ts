import { z } from 'zod';
import { CRM_STATUSES } from './crm-status.ts';
import { CURRENCY_CODES, MAX_AMOUNT_MINOR } from './money.ts';
import { stripBidiControls } from './text.ts';
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

/** Text a customer reads (a description, a name): bidi controls removed before the rules apply (shared/text.ts). */
const withoutBidiControls = (rules: z.ZodString) => z.string().transform(stripBidiControls).pipe(rules);

export const createPaymentBodySchema = z
  .object({
    amountMinor: amountMinorSchema.optional(),
    currency: currencySchema.optional(),
    description: withoutBidiControls(z.string().trim().min(1).max(500)).optional(),
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

/**
 * POST /payments/:id/send: dramlink has the link sent, the one way that really delivers from the
 * server: amoCRM starts the account's Salesbot (`Settings.salesbotId`) for the lead.
 */
export const sendBodySchema = z.object({ via: z.literal('salesbot') }).strict();
export type SendBody = z.infer<typeof sendBodySchema>;

/**
 * GET /payments/:id/message: the ready message for the customer in the account's language, and the
 * chat-template marker of the DRAMLINK_LINK field (`{{lead.cf.<id>}}`) when the field exists.
 */
export const paymentMessageSchema = z.object({
  text: z.string(),
  language: accountLanguageSchema,
  templateMarker: z.string().nullable(),
  salesbotConfigured: z.boolean(),
});
export type PaymentMessageView = z.infer<typeof paymentMessageSchema>;

/** GET /pipeline/setup (admins): what the Digital Pipeline action's settings need. */
export const pipelineSetupSchema = z.object({ key: z.string(), webhookUrl: z.string(), settingKeys: z.record(z.string(), z.string()) });
export type PipelineSetupView = z.infer<typeof pipelineSetupSchema>;

/** POST /bulk/payments: links for the leads selected in the lead list; `requestId` makes a retried POST the same run. */
export const bulkBodySchema = z
  .object({
    leadIds: z.array(z.number().int().positive()).min(1).max(500),
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  })
  .strict();
export type BulkBody = z.infer<typeof bulkBodySchema>;

/** A bulk run's progress and summary: what was created, and each lead skipped or failed with why. */
export const bulkViewSchema = z.object({
  id: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  finished: z.boolean(),
  created: z.number().int(),
  skipped: z.array(z.object({ leadId: z.number().int(), reason: z.string() })),
  failed: z.array(z.object({ leadId: z.number().int(), reason: z.string() })),
});
export type BulkView = z.infer<typeof bulkViewSchema>;

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

/**
 * Funds a two-stage provider holds for the payment (an attempt `authorized`): not taken until
 * captured. `captureMode` `auto`: the server captures them itself; `manual`: an admin captures or
 * voids them (POST /payments/:id/capture|void), also when the server's one automatic capture did
 * not go through.
 */
export const holdSchema = z.object({
  attemptId: z.string(),
  amountMinor: z.number().int(),
  currency: currencySchema,
  captureMode: z.enum(['auto', 'manual']),
  since: z.string(),
});
export type HoldView = z.infer<typeof holdSchema>;

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
  hold: holdSchema.nullable(),
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
    merchantName: withoutBidiControls(z.string().trim().min(1).max(120)).optional(),
    language: accountLanguageSchema.optional(),
    /** The account's Salesbot that sends the payment link into the lead's chat ("Send" on the card). */
    salesbotId: z.number().int().positive().optional(),
    /** Read-only (GET /settings says where each provider must reach the server): accepted back, never stored. */
    providerUrls: z.unknown().optional(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

/** Per provider, every URL the admin must give that provider (read-only; a PUT may send it back, it is ignored). */
export const providerUrlsSchema = z.partialRecord(
  providerNameSchema,
  z.object({ notifyUrl: z.string(), successUrl: z.string(), failUrl: z.string(), returnUrl: z.string() }).partial().strict(),
);
export type ProviderUrlsView = z.infer<typeof providerUrlsSchema>;

/**
 * GET /settings also carries `providerUrls` and the account's lead pipelines (when amoCRM answered
 * in time) for the stage mapping.
 */
export const settingsResponseSchema = settingsSchema.extend({
  providerUrls: providerUrlsSchema,
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

/**
 * Every error `code` a widget call can be answered with (the envelope `{"error":{"code"…}}`), in one
 * place: the widget shows each in the user's language (widget/i18n/*.json `errors.code.<code>`), and
 * test/widget/error-codes.test.ts fails when the server throws a code that is neither listed here nor
 * in NON_WIDGET_ERROR_CODES. Provider errors are `<provider>_<what>` (`telcell_unreachable`,
 * `arca_timeout`…) and are localized by their suffix (`errors.provider.<what>`). Add new codes here.
 */
export const WIDGET_ERROR_CODES = [
  'admin_check_unavailable',
  'hold_action_not_found',
  'no_hold',
  'hold_action_in_progress',
  'amocrm_forbidden',
  'amocrm_ip_not_allowed',
  'missing_token',
  'token_malformed',
  'token_bad_algorithm',
  'token_bad_signature',
  'token_wrong_audience',
  'token_wrong_client',
  'token_foreign_issuer',
  'token_issuer_mismatch',
  'token_missing_claim',
  'token_expired',
  'token_not_yet_valid',
  'token_replayed',
  'account_not_found',
  'integration_not_configured',
  'amocrm_not_configured',
  'account_not_connected',
  'amocrm_not_connected',
  'amocrm_needs_reconnect',
  'admin_only',
  'amocrm_account_blocked',
  'amocrm_unavailable',
  'amocrm_timeout',
  'amocrm_unreachable',
  'amocrm_server_error',
  'amocrm_rate_limited',
  'amocrm_bad_response',
  'amocrm_refresh_busy',
  'amocrm_unauthorized',
  'amocrm_payment_required',
  'amocrm_client_error',
  'amocrm_validation_failed',
  'amocrm_not_found',
  'lead_not_found',
  'invalid_body',
  'unsupported_media_type',
  'invalid_lead_id',
  'payment_not_found',
  'amount_required',
  'invalid_amount',
  'no_provider_enabled',
  'no_provider_for_currency',
  'provider_not_enabled',
  'provider_currency_unsupported',
  'payment_already_paid',
  'payment_expired',
  'payment_cancelled',
  'payment_not_payable',
  'payment_not_paid',
  'nothing_to_refund',
  'refund_amount_too_large',
  'refund_in_progress',
  'refund_failed',
  'refund_not_supported',
  'partial_refund_not_supported',
  'status_query_failed',
  'provider_not_configured',
  'provider_misconfigured',
  'attempt_not_found',
  'invalid_provider_credentials',
  'invalid_stage_mapping',
  'invalid_from',
  'invalid_to',
  'invalid_range',
  'range_too_long',
  'internal_error',
  'not_ready',
  'rate_limited',
  'too_many_requests',
  'payment_not_held',
  'capture_failed',
  'void_failed',
  'unsupported_currency',
  'invalid_providers',
  'invalid_expiry',
  'unknown_provider',
  'refund_not_found',
  'invalid_settings',
  'base_url_not_allowed',
  'token_lifetime_too_long',
  'salesbot_not_configured',
  'salesbot_not_found',
  'bulk_not_found',
  'salesbot_start_unknown',
] as const;

/** Codes the server answers only to others (amoCRM's install hook, providers' webhooks, the pay page, the CLI). */
export const NON_WIDGET_ERROR_CODES = [
  'install_refused',
  'install_code_rejected',
  'missing_code',
  'invalid_referer',
  'invalid_signature',
  'invalid_account_id',
  'provider_not_offered',
  'method_not_allowed',
  'invalid_pipeline_key',
  'invalid_return_url',
  'bot_token_malformed',
  'bot_token_bad_algorithm',
  'bot_token_bad_signature',
  'bot_token_expired',
  'bot_token_missing_claim',
  'bot_token_lifetime_too_long',
  'amocrm_lead_fields_busy',
] as const;

/**
 * Error codes the production-safety rules add, for the widget to localize (every other code is in
 * the error classes of the route that throws it):
 * - `base_url_not_allowed`: a field issue of PUT /settings: the provider's baseUrl is not one of its
 *   official hosts (nor listed by the operator in PROVIDER_ALLOWED_HOSTS), or carries a user name,
 *   a query or a fragment;
 * - `<provider>_host_not_allowed`: a call to that provider was not sent because its URL, or the
 *   address its host resolves to, is not allowed (a stored baseUrl from before these rules);
 * - `<provider>_bad_response`, `<provider>_http_error`: the provider answered something we could not
 *   use; what it said is in the server log only, never in the answer.
 */
export const BASE_URL_NOT_ALLOWED = 'base_url_not_allowed';
export const HOST_NOT_ALLOWED_CODES = providerNameSchema.options.map((p) => `${p}_host_not_allowed`);

/** POST /settings/providers/:provider/test → what one harmless call to the provider proved. */
export const probeResultSchema = z.object({ ok: z.boolean(), code: z.string(), message: z.string() });
export type ProbeResultView = z.infer<typeof probeResultSchema>;

/**
 * The codes a Test connection answers in its body (besides `<provider>_unreachable` and
 * `<provider>_timeout`, and a provider's own error code when it answered something unexpected).
 */
export const PROBE_RESULT_CODES = ['credentials_accepted', 'credentials_rejected', 'probe_not_supported', 'invalid_settings'] as const;

/** GET /diagnostics: what `npm run doctor` checks. Names: tokens, lead_fields, stage_mapping, installer_rights, rate_budget, provider:<name>, token_claims. */
export const diagnosticsResponseSchema = z.object({
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string(), fix: z.string().optional() })),
});
export type DiagnosticsView = z.infer<typeof diagnosticsResponseSchema>;

/**
 * Error codes of widget calls added for real accounts (issue 12), for the widget to localize:
 * admin-only calls when the token has no `is_admin` and amoCRM cannot say; capture and void of held
 * funds; amoCRM refusing the installing user's rights or this server's IP address.
 */
export const ADMIN_CHECK_ERROR_CODES = ['admin_only', 'admin_check_unavailable'] as const;
export const HOLD_ERROR_CODES = ['no_hold', 'hold_action_in_progress', 'payment_already_paid', 'capture_failed', 'void_failed'] as const;
export const AMOCRM_ACCESS_ERROR_CODES = ['amocrm_forbidden', 'amocrm_ip_not_allowed'] as const;
