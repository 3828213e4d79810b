import { bigint, bigserial, boolean, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ACCOUNT_STATES, type ExceptionView } from '../../shared/api.ts';
import type { Currency } from '../../shared/money.ts';
import { ATTEMPT_STATUSES, PAYMENT_STATUSES, REVIEW_REASONS } from '../../shared/status.ts';

/**
 * The PostgreSQL twin of schema.ts, table for table and column for column (what each one means is
 * written there). Kept in lockstep by hand: every query runs on both stores in the tests
 * (test/support/stores.ts), and the row types the code reads must be equal.
 * Times and money are BIGINT read as JavaScript numbers (epoch milliseconds and at most 10^12 minor
 * units stay far below 2^53); booleans are BOOLEAN; JSON stays text, as in SQLite.
 */

export const accounts = pgTable('accounts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  subdomain: text('subdomain').notNull(),
  baseDomain: text('base_domain').notNull(),
  name: text('name'),
  state: text('state', { enum: ACCOUNT_STATES }).notNull(),
  stateReason: text('state_reason'),
  blockedUntil: bigint('blocked_until', { mode: 'number' }),
  settings: text('settings').notNull().default('{}'),
  fieldIds: text('field_ids').notNull().default('{}'),
  installedBy: bigint('installed_by', { mode: 'number' }),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const tokens = pgTable('tokens', {
  accountId: bigint('account_id', { mode: 'number' })
    .primaryKey()
    .references(() => accounts.id),
  accessTokenSealed: text('access_token_sealed').notNull(),
  refreshTokenSealed: text('refresh_token_sealed').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  version: bigint('version', { mode: 'number' }).notNull().default(1),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});

export const providerConfigs = pgTable(
  'provider_configs',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id),
    provider: text('provider').notNull(),
    enabled: boolean('enabled').notNull(),
    mode: text('mode', { enum: ['test', 'live'] }).notNull(),
    baseUrl: text('base_url'),
    credentialsSealed: text('credentials_sealed').notNull(),
    orderCounter: bigint('order_counter', { mode: 'number' }).notNull().default(0),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.provider] })],
);

export const payments = pgTable(
  'payments',
  {
    id: text('id').primaryKey(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    linkToken: text('link_token').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    description: text('description'),
    providers: text('providers').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    reviewReason: text('review_reason', { enum: REVIEW_REASONS }),
    reviewSince: bigint('review_since', { mode: 'number' }),
    paidAt: bigint('paid_at', { mode: 'number' }),
    paidAmountMinor: bigint('paid_amount_minor', { mode: 'number' }),
    paidAttemptId: text('paid_attempt_id'),
    providerRef: text('provider_ref'),
    refundedAmountMinor: bigint('refunded_amount_minor', { mode: 'number' }).notNull().default(0),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('payments_link_token').on(t.linkToken),
    index('payments_account_lead').on(t.accountId, t.leadId),
    index('payments_status_expiry').on(t.status, t.expiresAt),
  ],
);

export const attempts = pgTable(
  'attempts',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    provider: text('provider').notNull(),
    providerOrderNo: text('provider_order_no').notNull(),
    providerPaymentId: text('provider_payment_id'),
    status: text('status', { enum: ATTEMPT_STATUSES }).notNull(),
    rawStatus: text('raw_status'),
    flaggedReason: text('flagged_reason', { enum: REVIEW_REASONS }),
    flaggedRawStatus: text('flagged_raw_status'),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    redirect: text('redirect'),
    heldAt: bigint('held_at', { mode: 'number' }),
    captureMode: text('capture_mode', { enum: ['auto', 'manual'] }),
    sessionExpiresAt: bigint('session_expires_at', { mode: 'number' }),
    nextCheckAt: bigint('next_check_at', { mode: 'number' }),
    checkCount: bigint('check_count', { mode: 'number' }).notNull().default(0),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('attempts_order_no').on(t.accountId, t.provider, t.providerOrderNo),
    index('attempts_payment').on(t.paymentId),
    index('attempts_next_check').on(t.status, t.nextCheckAt),
  ],
);

export const providerEvents = pgTable(
  'provider_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    provider: text('provider').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind', { enum: ['notification', 'precheck', 'return', 'status_query'] }).notNull(),
    authenticated: boolean('authenticated').notNull(),
    attemptId: text('attempt_id'),
    paymentId: text('payment_id'),
    raw: text('raw').notNull(),
    fact: text('fact'),
    state: text('state', { enum: ['received', 'processing', 'applied', 'ignored', 'failed'] }).notNull(),
    outcome: text('outcome'),
    error: text('error'),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    processedAt: bigint('processed_at', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('provider_events_dedupe').on(t.accountId, t.provider, t.dedupeKey),
    index('provider_events_state').on(t.state, t.receivedAt),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    attemptId: text('attempt_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').$type<Currency>().notNull(),
    state: text('state', { enum: ['pending', 'succeeded', 'failed', 'unknown'] }).notNull(),
    source: text('source', { enum: ['manager', 'provider'] }).notNull(),
    requestedBy: text('requested_by'),
    providerRefundId: text('provider_refund_id'),
    error: text('error'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('refunds_payment').on(t.paymentId)],
);

export const auditEntries = pgTable(
  'audit_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    paymentId: text('payment_id'),
    at: bigint('at', { mode: 'number' }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    details: text('details'),
  },
  (t) => [index('audit_payment').on(t.paymentId, t.id)],
);

export const syncJobs = pgTable(
  'sync_jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: ['lead_update', 'note', 'task', 'invoice_update', 'bot_continue'] }).notNull(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    paymentId: text('payment_id'),
    dedupeKey: text('dedupe_key').notNull(),
    payload: text('payload').notNull().default('{}'),
    state: text('state', { enum: ['pending', 'in_flight', 'done', 'failing', 'dead'] }).notNull(),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    generation: bigint('generation', { mode: 'number' }).notNull().default(0),
    nextRunAt: bigint('next_run_at', { mode: 'number' }).notNull(),
    claimedUntil: bigint('claimed_until', { mode: 'number' }),
    lastError: text('last_error'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('sync_jobs_dedupe').on(t.accountId, t.dedupeKey),
    index('sync_jobs_due').on(t.state, t.nextRunAt),
    index('sync_jobs_payment').on(t.paymentId),
  ],
);

type ExceptionKind = ExceptionView['kind'];

export const exceptions = pgTable(
  'exceptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    kind: text('kind').$type<ExceptionKind>().notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    paymentId: text('payment_id'),
    leadId: bigint('lead_id', { mode: 'number' }),
    reason: text('reason').notNull(),
    data: text('data').notNull().default('{}'),
    openedAt: bigint('opened_at', { mode: 'number' }).notNull(),
    resolvedAt: bigint('resolved_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('exceptions_key').on(t.accountId, t.dedupeKey), index('exceptions_open').on(t.accountId, t.resolvedAt)],
);

export const usedTokenIds = pgTable('used_token_ids', {
  jti: text('jti').primaryKey(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  accountId: bigint('account_id', { mode: 'number' }),
  userId: bigint('user_id', { mode: 'number' }),
  uses: bigint('uses', { mode: 'number' }).notNull().default(1),
});

export const tokenClaims = pgTable('token_claims', {
  accountId: bigint('account_id', { mode: 'number' }).primaryKey(),
  data: text('data').notNull().default('{}'),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const holdActions = pgTable(
  'hold_actions',
  {
    id: text('id').primaryKey(),
    attemptId: text('attempt_id').notNull(),
    paymentId: text('payment_id').notNull(),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: ['capture', 'void'] }).notNull(),
    state: text('state', { enum: ['pending', 'succeeded', 'failed', 'unknown'] }).notNull(),
    requestedBy: text('requested_by').notNull(),
    autoKey: text('auto_key'),
    error: text('error'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('hold_actions_auto').on(t.autoKey),
    index('hold_actions_attempt').on(t.attemptId),
    index('hold_actions_state').on(t.state),
  ],
);

export const sandboxSessions = pgTable('sandbox_sessions', {
  id: text('id').primaryKey(),
  accountId: bigint('account_id', { mode: 'number' }).notNull(),
  data: text('data').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const statusQueries = pgTable('status_queries', {
  attemptId: text('attempt_id').primaryKey(),
  queriedAt: bigint('queried_at', { mode: 'number' }).notNull(),
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
});

export const invoicePayments = pgTable(
  'invoice_payments',
  {
    paymentId: text('payment_id')
      .primaryKey()
      .references(() => payments.id),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    invoiceId: bigint('invoice_id', { mode: 'number' }).notNull(),
    catalogId: bigint('catalog_id', { mode: 'number' }).notNull(),
    generation: bigint('generation', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('invoice_payments_generation').on(t.accountId, t.invoiceId, t.generation)],
);

export const linkRequests = pgTable(
  'link_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    source: text('source', { enum: ['pipeline', 'salesbot', 'bulk'] }).notNull(),
    requestKey: text('request_key').notNull(),
    leadId: bigint('lead_id', { mode: 'number' }).notNull(),
    batchId: text('batch_id'),
    params: text('params').notNull().default('{}'),
    state: text('state', { enum: ['received', 'in_flight', 'done', 'failed'] }).notNull(),
    outcome: text('outcome', { enum: ['created', 'reused', 'skipped'] }),
    reason: text('reason'),
    paymentId: text('payment_id'),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    nextRunAt: bigint('next_run_at', { mode: 'number' }).notNull(),
    claimedUntil: bigint('claimed_until', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('link_requests_key').on(t.accountId, t.source, t.requestKey),
    index('link_requests_due').on(t.state, t.nextRunAt),
    index('link_requests_batch').on(t.accountId, t.batchId),
  ],
);

export const pipelineKeys = pgTable('pipeline_keys', {
  accountId: bigint('account_id', { mode: 'number' }).primaryKey(),
  keySealed: text('key_sealed').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

export const amocrmObservations = pgTable(
  'amocrm_observations',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    topic: text('topic').notNull(),
    data: text('data').notNull().default('{}'),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.topic] })],
);
