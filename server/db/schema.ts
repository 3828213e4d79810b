import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ACCOUNT_STATES, type ExceptionView } from '../../shared/api.ts';
import type { Currency } from '../../shared/money.ts';
import { ATTEMPT_STATUSES, PAYMENT_STATUSES, REVIEW_REASONS } from '../../shared/status.ts';

/**
 * One table per concept of the domain (docs/architecture.md, Domain). Times are epoch milliseconds
 * (integers), money is integer minor units with an ISO code beside it. Secrets are sealed by
 * crypto/secret-box. Status, reason and currency columns are typed here (SQLite keeps them as text):
 * the application writes only these values, so rows read back need no casts.
 */

export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey(), // amoCRM account id
  subdomain: text('subdomain').notNull(),
  baseDomain: text('base_domain').notNull(), // amocrm.ru | amocrm.com | kommo.com
  name: text('name'),
  state: text('state', { enum: ACCOUNT_STATES }).notNull(),
  stateReason: text('state_reason'),
  /** While set and in the future, no amoCRM call is made for this account (403 cool-down). */
  blockedUntil: integer('blocked_until'),
  /** JSON: Settings without providers (defaultCurrency, linkTtlHours, stageMapping, ...). */
  settings: text('settings').notNull().default('{}'),
  /** JSON: { [fieldCode]: { id, enums?: { [crmStatus]: enumId } } } found or created at install. */
  fieldIds: text('field_ids').notNull().default('{}'),
  installedBy: integer('installed_by'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const tokens = sqliteTable('tokens', {
  accountId: integer('account_id')
    .primaryKey()
    .references(() => accounts.id),
  accessTokenSealed: text('access_token_sealed').notNull(),
  refreshTokenSealed: text('refresh_token_sealed').notNull(),
  expiresAt: integer('expires_at').notNull(),
  /** Bumped on every refresh so a waiting process can tell a new pair from the one it saw. */
  version: integer('version').notNull().default(1),
  updatedAt: integer('updated_at').notNull(),
});

/** Short leases (token refresh, reconciler passes) shared by every process using this database. */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export const providerConfigs = sqliteTable(
  'provider_configs',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    provider: text('provider').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    mode: text('mode', { enum: ['test', 'live'] }).notNull(),
    baseUrl: text('base_url'),
    /** Sealed JSON of the credentials (all of them, secret or not). */
    credentialsSealed: text('credentials_sealed').notNull(),
    /** Per-account-per-provider order number sequence (Ameriabank needs integers in a range). */
    orderCounter: integer('order_counter').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.provider] })],
);

export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    leadId: integer('lead_id').notNull(),
    linkToken: text('link_token').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    description: text('description'),
    /** JSON array of provider names offered on the pay page. */
    providers: text('providers').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    reviewReason: text('review_reason', { enum: REVIEW_REASONS }),
    reviewSince: integer('review_since'),
    paidAt: integer('paid_at'),
    paidAmountMinor: integer('paid_amount_minor'),
    paidAttemptId: text('paid_attempt_id'),
    providerRef: text('provider_ref'),
    refundedAmountMinor: integer('refunded_amount_minor').notNull().default(0),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('payments_link_token').on(t.linkToken),
    index('payments_account_lead').on(t.accountId, t.leadId),
    index('payments_status_expiry').on(t.status, t.expiresAt),
  ],
);

export const attempts = sqliteTable(
  'attempts',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    accountId: integer('account_id').notNull(),
    provider: text('provider').notNull(),
    providerOrderNo: text('provider_order_no').notNull(),
    providerPaymentId: text('provider_payment_id'),
    status: text('status', { enum: ATTEMPT_STATUSES }).notNull(),
    /** The provider's own words for the attempt's last status, kept for support. */
    rawStatus: text('raw_status'),
    /**
     * The review reason this attempt was last flagged for, and the provider answer (raw status) that
     * flagged it: a repeat of that answer is a duplicate, not a new review. Cleared when a later answer
     * moves the attempt on, so the same answer arriving after that is news again.
     */
    flaggedReason: text('flagged_reason', { enum: REVIEW_REASONS }),
    flaggedRawStatus: text('flagged_raw_status'),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    /** JSON of the provider redirect, reused while the session is alive. */
    redirect: text('redirect'),
    /**
     * Two-stage payments (docs/architecture.md, Hold and capture): when the provider reported the
     * funds held (status `authorized`), and whether the server captures them by itself or an admin does.
     */
    heldAt: integer('held_at'),
    captureMode: text('capture_mode', { enum: ['auto', 'manual'] }),
    sessionExpiresAt: integer('session_expires_at'),
    /** Reconciler: when to ask the provider next, and how many times it has asked. */
    nextCheckAt: integer('next_check_at'),
    checkCount: integer('check_count').notNull().default(0),
    seq: integer('seq').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('attempts_order_no').on(t.accountId, t.provider, t.providerOrderNo),
    index('attempts_payment').on(t.paymentId),
    index('attempts_next_check').on(t.status, t.nextCheckAt),
  ],
);

export const providerEvents = sqliteTable(
  'provider_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull(),
    provider: text('provider').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind', { enum: ['notification', 'precheck', 'return', 'status_query'] }).notNull(),
    authenticated: integer('authenticated', { mode: 'boolean' }).notNull(),
    attemptId: text('attempt_id'),
    paymentId: text('payment_id'),
    /** JSON: method, query, selected headers (secrets redacted) and body as received. */
    raw: text('raw').notNull(),
    /** JSON: the normalized fact, if any. */
    fact: text('fact'),
    state: text('state', { enum: ['received', 'processing', 'applied', 'ignored', 'failed'] }).notNull(),
    outcome: text('outcome'),
    error: text('error'),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
  },
  (t) => [
    uniqueIndex('provider_events_dedupe').on(t.accountId, t.provider, t.dedupeKey),
    index('provider_events_state').on(t.state, t.receivedAt),
  ],
);

export const refunds = sqliteTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    accountId: integer('account_id').notNull(),
    attemptId: text('attempt_id').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    /** pending: asked, no answer yet; unknown: timed out, a status query decides. */
    state: text('state', { enum: ['pending', 'succeeded', 'failed', 'unknown'] }).notNull(),
    source: text('source', { enum: ['manager', 'provider'] }).notNull(),
    requestedBy: text('requested_by'),
    providerRefundId: text('provider_refund_id'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('refunds_payment').on(t.paymentId)],
);

/** Append-only: triggers in the first migration refuse UPDATE and DELETE. */
export const auditEntries = sqliteTable(
  'audit_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull(),
    paymentId: text('payment_id'),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    details: text('details'),
  },
  (t) => [index('audit_payment').on(t.paymentId, t.id)],
);

/** The outbox: CRM writes waiting to be made. */
export const syncJobs = sqliteTable(
  'sync_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull(),
    /**
     * lead_update, note, task: the lead's side (docs/architecture.md, 6 Sync to amoCRM);
     * invoice_update: an amoCRM invoice paid by one of our payments (BILL_STATUS, BILL_PAYMENT_DATE);
     * bot_continue: the answer a Salesbot waits for on its return_url.
     */
    kind: text('kind', { enum: ['lead_update', 'note', 'task', 'invoice_update', 'bot_continue'] }).notNull(),
    leadId: integer('lead_id').notNull(),
    paymentId: text('payment_id'),
    /** Unique per write: a note or task is queued once per event/exception. */
    dedupeKey: text('dedupe_key').notNull(),
    /** JSON payload (note text, task text); lead updates read the latest state at send time. */
    payload: text('payload').notNull().default('{}'),
    state: text('state', { enum: ['pending', 'in_flight', 'done', 'failing', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Bumped when a queued lead update is superseded, so a send of older state does not mark it done. */
    generation: integer('generation').notNull().default(0),
    nextRunAt: integer('next_run_at').notNull(),
    /** A claim expires so a job in flight when the process died is picked up again. */
    claimedUntil: integer('claimed_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('sync_jobs_dedupe').on(t.accountId, t.dedupeKey),
    index('sync_jobs_due').on(t.state, t.nextRunAt),
    index('sync_jobs_payment').on(t.paymentId),
  ],
);

type ExceptionKind = ExceptionView['kind'];

/** What needs a person (GET /api/v1/exceptions). Opened once per key, closed when resolved. */
export const exceptions = sqliteTable(
  'exceptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull(),
    kind: text('kind').$type<ExceptionKind>().notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    paymentId: text('payment_id'),
    leadId: integer('lead_id'),
    /**
     * Why, within the kind (a review reason, `retrying`…), and the facts behind it as JSON (amounts,
     * the error, a cool-down): the message and the action a person reads are rendered from these
     * where they are read (server/exceptions/exception-text.ts), in the reader's language.
     */
    reason: text('reason').notNull(),
    data: text('data').notNull().default('{}'),
    openedAt: integer('opened_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [uniqueIndex('exceptions_key').on(t.accountId, t.dedupeKey), index('exceptions_open').on(t.accountId, t.resolvedAt)],
);

/**
 * Disposable-token ids seen within their lifetime, with whose token each was: a reuse by the same
 * account and user is counted (AMOCRM_TOKEN_REPLAY=log) or refused (reject); the same id in another
 * account's or user's token is always refused.
 */
export const usedTokenIds = sqliteTable('used_token_ids', {
  jti: text('jti').primaryKey(),
  expiresAt: integer('expires_at').notNull(),
  accountId: integer('account_id'),
  userId: integer('user_id'),
  /** How many requests carried it (1 = used once). */
  uses: integer('uses').notNull().default(1),
});

/**
 * What this account's disposable tokens looked like (never a token value): the claim names seen,
 * their lifetime, whether `is_admin` was present, whether a `jti` came twice. A small JSON record
 * per account, for `npm run doctor` and GET /api/v1/diagnostics (server/widget-api/auth/token-claims.ts).
 */
export const tokenClaims = sqliteTable('token_claims', {
  accountId: integer('account_id').primaryKey(),
  data: text('data').notNull().default('{}'),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * A capture or void of funds held by a two-stage provider: reserved `pending` before the provider is
 * called once, then `succeeded`, `failed` or `unknown` (the call timed out: a status query tells).
 * `autoKey` is the attempt id for the one automatic action per attempt (unique: never repeated).
 */
export const holdActions = sqliteTable(
  'hold_actions',
  {
    id: text('id').primaryKey(),
    attemptId: text('attempt_id').notNull(),
    paymentId: text('payment_id').notNull(),
    accountId: integer('account_id').notNull(),
    kind: text('kind', { enum: ['capture', 'void'] }).notNull(),
    state: text('state', { enum: ['pending', 'succeeded', 'failed', 'unknown'] }).notNull(),
    requestedBy: text('requested_by').notNull(),
    autoKey: text('auto_key'),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('hold_actions_auto').on(t.autoKey),
    index('hold_actions_attempt').on(t.attemptId),
    index('hold_actions_state').on(t.state),
  ],
);

/**
 * The sandbox gateway's sessions (the fake bank of the dev wing, scripts/sandbox-gateway), kept so a
 * checkout survives a restart. Production never writes here, yet the table stays in the one schema:
 * development and production share one linear migration history, and a table dropped here would
 * need a migration that development databases then cannot undo.
 */
export const sandboxSessions = sqliteTable('sandbox_sessions', {
  id: text('id').primaryKey(),
  accountId: integer('account_id').notNull(),
  data: text('data').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Server-wide values kept with the data they describe. `secrets_check`: a known text sealed with
 * SECRETS_KEY at first start, so a start with another key is refused before it serves anything
 * (server/crypto/secrets-check.ts).
 */
export const serverMeta = sqliteTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * When each attempt's provider was last asked for its status, and how that went: at most one query
 * per attempt per 15 seconds, whoever asks, in every process sharing the database
 * (server/payments/status-ration.ts).
 */
export const statusQueries = sqliteTable('status_queries', {
  attemptId: text('attempt_id').primaryKey(),
  queriedAt: integer('queried_at').notNull(),
  /** The error code of that query when it failed, null when the provider answered. */
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
});

/**
 * amoCRM invoices paid through the PayWall (docs/architecture.md, Invoices): which payment is an
 * invoice's, in generations: the first payment of an invoice is generation 1, and a new one is opened
 * only when the last can no longer be paid (expired, cancelled, or the invoice's total changed). The
 * unique generation is what keeps two customers' clicks from opening two live payments.
 */
export const invoicePayments = sqliteTable(
  'invoice_payments',
  {
    paymentId: text('payment_id')
      .primaryKey()
      .references(() => payments.id),
    accountId: integer('account_id').notNull(),
    invoiceId: integer('invoice_id').notNull(),
    /** The account's invoices list (catalog) the invoice is in, for the PATCH that marks it paid. */
    catalogId: integer('catalog_id').notNull(),
    generation: integer('generation').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('invoice_payments_generation').on(t.accountId, t.invoiceId, t.generation)],
);

/**
 * Links asked for by automation rather than a manager's click (docs/architecture.md, Links made by
 * automation): a Digital Pipeline trigger, a Salesbot step, one lead of a bulk run from the lead list.
 * Unique per (account, source, request key): the trigger event, the bot's return_url, the batch and
 * lead; so a duplicate or a retry finds its row instead of making a second link. Worked off in the
 * background (claimed like sync jobs), its outcome kept for the caller and for doctor.
 */
export const linkRequests = sqliteTable(
  'link_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull(),
    source: text('source', { enum: ['pipeline', 'salesbot', 'bulk'] }).notNull(),
    requestKey: text('request_key').notNull(),
    leadId: integer('lead_id').notNull(),
    /** Bulk: the run this lead is part of. */
    batchId: text('batch_id'),
    /** JSON: how to make the link (amount, providers, lifetime) and who asked. */
    params: text('params').notNull().default('{}'),
    state: text('state', { enum: ['received', 'in_flight', 'done', 'failed'] }).notNull(),
    /** created · reused · skipped (done), or null while open; `reason` says why skipped or failed. */
    outcome: text('outcome', { enum: ['created', 'reused', 'skipped'] }),
    reason: text('reason'),
    paymentId: text('payment_id'),
    attempts: integer('attempts').notNull().default(0),
    nextRunAt: integer('next_run_at').notNull(),
    claimedUntil: integer('claimed_until'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('link_requests_key').on(t.accountId, t.source, t.requestKey),
    index('link_requests_due').on(t.state, t.nextRunAt),
    index('link_requests_batch').on(t.accountId, t.batchId),
  ],
);

/**
 * The per-account key a Digital Pipeline hook must carry (amoCRM signs nothing): made on the first
 * ask, sealed with SECRETS_KEY, written by the widget into each trigger's hidden setting.
 */
export const pipelineKeys = sqliteTable('pipeline_keys', {
  accountId: integer('account_id').primaryKey(),
  keySealed: text('key_sealed').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * What amoCRM's answers showed about what it does not document (the invoice lookup, the Salesbot
 * token, a continue or a bot run): a small JSON record per account and topic, read by
 * `npm run doctor` (server/diagnostics/). Never a token or a customer's data.
 */
export const amocrmObservations = sqliteTable(
  'amocrm_observations',
  {
    accountId: integer('account_id').notNull(),
    topic: text('topic').notNull(),
    data: text('data').notNull().default('{}'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.topic] })],
);
