import { expect } from 'chai';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../server/errors/app-error.ts';
import type { ProviderFact } from '../../../server/providers/provider.ts';
import type { DatabaseHandle } from '../../../server/db/database.ts';
import type { Store } from '../../../server/db/store.ts';
import type { Tx } from '../../../server/db/tx.ts';
import { applyProviderFact } from '../../../server/payments/apply-provider-fact.ts';
import { createPayment, type CreatePaymentInput } from '../../../server/payments/create-payment.ts';
import type { LedgerDeps } from '../../../server/payments/deps.ts';
import { openAttempt } from '../../../server/payments/open-attempt.ts';
import type { AttemptRow, PaymentRow } from '../../../server/payments/payment-state.ts';
import { ManualClock } from '../../../server/platform/clock.ts';
import { openTestStore, txOf, type StoreKind } from '../../support/stores.ts';

/**
 * The real ledger (server/payments) on a fresh store (in-memory SQLite, or a new PostgreSQL
 * database) with a manual clock, without HTTP: one installed account offering the sandbox provider.
 */
export interface Ledger {
  deps: LedgerDeps;
  store: Store;
  /** The store's query builder outside a transaction: `await l.db.select().from(l.db.t.payments)`. */
  db: Tx;
  /** SQLite's handle (SQLite-only tests). */
  readonly database: DatabaseHandle;
  clock: ManualClock;
  accountId: number;
  close(): Promise<void>;
}

export const ACCOUNT_ID = 1001;
export const HOUR = 3_600_000;

export async function openLedger(opts: { store?: StoreKind | Store; keepOpen?: boolean } = {}): Promise<Ledger> {
  const store = typeof opts.store === 'object' ? opts.store : await openTestStore(opts.store ?? 'sqlite');
  const db = await txOf(store);
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 10, 0, 0));
  const now = clock.now();
  await db
    .insert(db.t.accounts)
    .values({ id: ACCOUNT_ID, subdomain: 'shop', baseDomain: 'amocrm.ru', state: 'active', createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  await db
    .insert(db.t.providerConfigs)
    .values({
      accountId: ACCOUNT_ID,
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentialsSealed: 'v1:unused-in-ledger-tests',
      updatedAt: now,
    })
    .onConflictDoNothing();
  return {
    deps: { store, clock },
    store,
    db,
    get database() {
      if (!store.sqlite) throw new Error('SQLite only');
      return store.sqlite;
    },
    clock,
    accountId: ACCOUNT_ID,
    close: () => (opts.keepOpen ? Promise.resolve() : store.close()),
  };
}

let nextLead = 5000;

export function newPayment(l: Ledger, input: Partial<CreatePaymentInput> = {}): Promise<PaymentRow> {
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

export function newAttempt(l: Ledger, paymentId: string): Promise<AttemptRow> {
  return openAttempt(l.deps, { paymentId, provider: 'sandbox', orderNo: (counter) => `ord-${counter}` });
}

export async function paymentRow(l: Ledger, id: string): Promise<PaymentRow> {
  const { payments } = l.db.t;
  return (await l.db.select().from(payments).where(eq(payments.id, id)))[0];
}

export async function attemptRow(l: Ledger, id: string): Promise<AttemptRow> {
  const { attempts } = l.db.t;
  return (await l.db.select().from(attempts).where(eq(attempts.id, id)))[0];
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
export async function countsFor(l: Ledger, p: Pick<PaymentRow, 'id' | 'leadId'>): Promise<PaymentCounts> {
  const { auditEntries, syncJobs, exceptions, refunds } = l.db.t;
  const audit = await l.db.select().from(auditEntries).where(eq(auditEntries.paymentId, p.id)).orderBy(auditEntries.id);
  const count = async (q: PromiseLike<{ n: number }[]>) => Number((await q)[0].n);
  const jobs = (kind: 'note' | 'task' | 'lead_update') =>
    count(
      l.db
        .select({ n: sql<number>`count(*)` })
        .from(syncJobs)
        .where(and(eq(syncJobs.kind, kind), kind === 'lead_update' ? eq(syncJobs.leadId, p.leadId) : eq(syncJobs.paymentId, p.id))),
    );
  return {
    audit: audit.length,
    notes: await jobs('note'),
    tasks: await jobs('task'),
    leadUpdates: await jobs('lead_update'),
    exceptions: await count(
      l.db
        .select({ n: sql<number>`count(*)` })
        .from(exceptions)
        .where(eq(exceptions.paymentId, p.id)),
    ),
    refunds: await count(
      l.db
        .select({ n: sql<number>`count(*)` })
        .from(refunds)
        .where(eq(refunds.paymentId, p.id)),
    ),
    actions: audit.map((a) => a.action),
  };
}

/** Every row of every table the ledger writes, to prove that a refused call wrote nothing. */
export async function snapshot(l: Ledger): Promise<Record<string, unknown>> {
  const t = l.db.t;
  const tables = {
    payments: t.payments,
    attempts: t.attempts,
    audit_entries: t.auditEntries,
    sync_jobs: t.syncJobs,
    exceptions: t.exceptions,
    refunds: t.refunds,
    provider_configs: t.providerConfigs,
  };
  const out: Record<string, unknown> = {};
  for (const [name, table] of Object.entries(tables)) {
    const rows = (await l.db.select().from(table)) as Record<string, unknown>[];
    out[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

export async function tasksFor(l: Ledger, paymentId: string): Promise<string[]> {
  const { syncJobs } = l.db.t;
  const rows = await l.db
    .select({ key: syncJobs.dedupeKey })
    .from(syncJobs)
    .where(and(eq(syncJobs.kind, 'task'), eq(syncJobs.paymentId, paymentId)))
    .orderBy(syncJobs.id);
  return rows.map((r) => r.key);
}

/** The typed error `fn` throws (or rejects with); fails the test when it throws nothing or something untyped. */
export async function errorOf(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a typed error');
}

export async function codeOf(fn: () => unknown): Promise<string> {
  return (await errorOf(fn)).code;
}

/** What `fn` rejects (or throws) with; fails the test when it succeeds. */
export async function rejection(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected it to fail');
}

/**
 * Makes the database refuse some writes with "boom" (a trigger), to prove that everything before a
 * failing statement of a transaction is rolled back: SQLite's RAISE(ABORT), PostgreSQL's RAISE EXCEPTION.
 */
export async function failWrites(
  l: Pick<Ledger, 'store'>,
  name: string,
  op: 'INSERT' | 'UPDATE',
  table: string,
  when: string,
): Promise<void> {
  const statements =
    l.store.dialect === 'sqlite'
      ? [`CREATE TRIGGER ${name} BEFORE ${op} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'boom'); END`]
      : [
          `CREATE FUNCTION ${name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`,
          `CREATE TRIGGER ${name} BEFORE ${op} ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}_fn()`,
        ];
  for (const text of statements) await l.store.run((tx) => tx.exec(sql.raw(text)));
}

export async function stopFailingWrites(l: Pick<Ledger, 'store'>, name: string, table: string): Promise<void> {
  const text = l.store.dialect === 'sqlite' ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON ${table}`;
  await l.store.run((tx) => tx.exec(sql.raw(text)));
}
