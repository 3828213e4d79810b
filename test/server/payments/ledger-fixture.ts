import { expect } from 'chai';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../server/errors/app-error.ts';
import type { ProviderFact } from '../../../server/providers/provider.ts';
import { openDatabase, type DatabaseHandle, type Db } from '../../../server/db/database.ts';
import { accounts, attempts, auditEntries, exceptions, payments, providerConfigs, refunds, syncJobs } from '../../../server/db/schema.ts';
import { applyProviderFact } from '../../../server/payments/apply-provider-fact.ts';
import { createPayment, type CreatePaymentInput } from '../../../server/payments/create-payment.ts';
import type { LedgerDeps } from '../../../server/payments/deps.ts';
import { openAttempt } from '../../../server/payments/open-attempt.ts';
import type { AttemptRow, PaymentRow } from '../../../server/payments/payment-state.ts';
import { ManualClock } from '../../../server/platform/clock.ts';

/**
 * The real ledger (server/payments) on an in-memory database with a manual clock, without HTTP:
 * one installed account offering the sandbox provider.
 */
export interface Ledger {
  deps: LedgerDeps;
  db: Db;
  database: DatabaseHandle;
  clock: ManualClock;
  accountId: number;
  close(): void;
}

export const ACCOUNT_ID = 1001;
export const HOUR = 3_600_000;

export function openLedger(opts: { database?: DatabaseHandle } = {}): Ledger {
  const database = opts.database ?? openDatabase(':memory:');
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 10, 0, 0));
  const now = clock.now();
  database.db
    .insert(accounts)
    .values({ id: ACCOUNT_ID, subdomain: 'shop', baseDomain: 'amocrm.ru', state: 'active', createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .run();
  database.db
    .insert(providerConfigs)
    .values({
      accountId: ACCOUNT_ID,
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentialsSealed: 'v1:unused-in-ledger-tests',
      updatedAt: now,
    })
    .onConflictDoNothing()
    .run();
  return {
    deps: { db: database.db, clock },
    db: database.db,
    database,
    clock,
    accountId: ACCOUNT_ID,
    close: () => database.close(),
  };
}

let nextLead = 5000;

export function newPayment(l: Ledger, input: Partial<CreatePaymentInput> = {}): PaymentRow {
  return createPayment(l.deps, {
    accountId: l.accountId,
    leadId: nextLead++,
    amountMinor: 150000,
    currency: 'AMD',
    providers: ['sandbox'],
    expiresInHours: 24,
    createdBy: 'user:7',
    publicUrl: 'http://localhost:3000',
    ...input,
  });
}

export function newAttempt(l: Ledger, paymentId: string): AttemptRow {
  return openAttempt(l.deps, { paymentId, provider: 'sandbox', orderNo: (counter) => `ord-${counter}` });
}

export function paymentRow(l: Ledger, id: string): PaymentRow {
  return l.db.select().from(payments).where(eq(payments.id, id)).get()!;
}

export function attemptRow(l: Ledger, id: string): AttemptRow {
  return l.db.select().from(attempts).where(eq(attempts.id, id)).get()!;
}

/** A verified "paid" statement for the attempt with its own amount, currency and order number. */
export function paid(a: AttemptRow, extra: Partial<ProviderFact> = {}): ProviderFact {
  return {
    status: 'paid',
    amountMinor: a.amountMinor,
    currency: a.currency,
    providerOrderNo: a.providerOrderNo,
    rawStatus: 'succeeded',
    ...extra,
  };
}

export function failed(a: AttemptRow, extra: Partial<ProviderFact> = {}): ProviderFact {
  return { status: 'failed', providerOrderNo: a.providerOrderNo, rawStatus: 'declined', ...extra };
}

export function apply(l: Ledger, a: AttemptRow, fact: ProviderFact) {
  return applyProviderFact(l.deps, { attemptId: a.id, fact, actor: 'provider:sandbox' });
}

export interface PaymentCounts {
  audit: number;
  notes: number;
  tasks: number;
  leadUpdates: number;
  exceptions: number;
  refunds: number;
  actions: string[];
}

/** Everything written about one payment: audit trail and outbox rows. */
export function countsFor(l: Ledger, p: Pick<PaymentRow, 'id' | 'leadId'>): PaymentCounts {
  const audit = l.db.select().from(auditEntries).where(eq(auditEntries.paymentId, p.id)).orderBy(auditEntries.id).all();
  const jobs = (kind: 'note' | 'task' | 'lead_update') =>
    l.db
      .select({ n: sql<number>`count(*)` })
      .from(syncJobs)
      .where(and(eq(syncJobs.kind, kind), kind === 'lead_update' ? eq(syncJobs.leadId, p.leadId) : eq(syncJobs.paymentId, p.id)))
      .get()!.n;
  return {
    audit: audit.length,
    notes: jobs('note'),
    tasks: jobs('task'),
    leadUpdates: jobs('lead_update'),
    exceptions: l.db
      .select({ n: sql<number>`count(*)` })
      .from(exceptions)
      .where(eq(exceptions.paymentId, p.id))
      .get()!.n,
    refunds: l.db
      .select({ n: sql<number>`count(*)` })
      .from(refunds)
      .where(eq(refunds.paymentId, p.id))
      .get()!.n,
    actions: audit.map((a) => a.action),
  };
}

/** Row counts of every table the ledger writes, to prove that a refused call wrote nothing. */
export function snapshot(l: Ledger): Record<string, unknown> {
  const tables = ['payments', 'attempts', 'audit_entries', 'sync_jobs', 'exceptions', 'refunds', 'provider_configs'];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = l.database.sqlite.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
  return out;
}

export function tasksFor(l: Ledger, paymentId: string): string[] {
  return l.db
    .select({ key: syncJobs.dedupeKey })
    .from(syncJobs)
    .where(and(eq(syncJobs.kind, 'task'), eq(syncJobs.paymentId, paymentId)))
    .all()
    .map((r) => r.key);
}

/** The typed error `fn` throws; fails the test when it throws nothing or something untyped. */
export function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a typed error');
}

export function codeOf(fn: () => unknown): string {
  return errorOf(fn).code;
}
