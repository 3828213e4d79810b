import { expect } from 'chai';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { AppError } from '../../../server/errors/app-error.ts';
import { cancelPayment } from '../../../server/payments/cancel-payment.ts';
import { expirePayment } from '../../../server/payments/expire-payment.ts';
import type { AttemptRow, PaymentRow } from '../../../server/payments/payment-state.ts';
import type { ProviderFact } from '../../../server/providers/provider.ts';
import { apply, countsFor, newAttempt, newPayment, openLedger, paymentRow, type Ledger } from './ledger-fixture.ts';
import { describeStores } from '../../support/stores.ts';

/**
 * Random orders of provider facts, expiry, cancellation and new attempts, applied through the real
 * ledger (server/payments on SQLite), compared step by step with a small model of the status rules (docs/architecture.md, Status rules)
 * written here, independently of server/payments/rules.
 */

const PAID = 100_000;
const MAX_ATTEMPTS = 3;

type Op =
  | { k: 'pending' | 'paid' | 'failed' | 'attempt_expired'; a: number }
  | { k: 'refund'; a: number; total: number }
  | { k: 'mismatch'; a: number }
  | { k: 'expire' | 'cancel' | 'open' };

type MStatus = 'awaiting' | 'failed' | 'expired' | 'cancelled' | 'paid' | 'partially_refunded' | 'refunded';
type AStatus = 'created' | 'pending' | 'paid' | 'failed' | 'expired';

interface Model {
  status: MStatus;
  review: string | null;
  paidAttempt: number | null;
  refunded: number;
  /** The largest cumulative refund total the provider reported for the paid attempt. */
  maxReported: number;
  attempts: Array<{ status: AStatus; lastFact: string | null }>;
  pastExpiry: boolean;
  audit: number;
  notes: number;
  exceptionReasons: Set<string>;
}

const moneyTaken = (s: MStatus) => s === 'paid' || s === 'partially_refunded' || s === 'refunded';
const payable = (s: MStatus) => s === 'awaiting' || s === 'failed';
/** Each attempt has one kind of wrong report, so a repeat of it is the same fact. */
const mismatchOf = (a: number) =>
  a % 2 === 0
    ? { reason: 'amount_mismatch', amountMinor: PAID - 1, currency: 'AMD' as const }
    : { reason: 'currency_mismatch', amountMinor: PAID, currency: 'USD' as const };

function event(m: Model, note: boolean, exception?: string): void {
  m.audit += 1;
  if (note) m.notes += 1;
  if (exception) m.exceptionReasons.add(exception);
}

function review(m: Model, reason: string): void {
  // The first reason stays: it is the one a person must look at first.
  m.review ??= reason;
}

/** What the rules say one operation does. Returns false when the call must be refused. */
function step(m: Model, op: Op): boolean {
  if ('a' in op && op.a >= m.attempts.length) return true;
  switch (op.k) {
    case 'open': {
      if (moneyTaken(m.status) || m.status === 'cancelled' || m.status === 'expired' || m.pastExpiry) return false;
      m.attempts.push({ status: 'created', lastFact: null });
      if (m.status === 'failed') m.status = 'awaiting'; // a new attempt returns failed to awaiting
      event(m, false);
      return true;
    }
    case 'expire':
      if (payable(m.status)) {
        m.status = 'expired';
        event(m, true);
      }
      return true;
    case 'cancel':
      if (!payable(m.status)) return false;
      m.status = 'cancelled';
      event(m, true);
      return true;
    case 'pending': {
      const att = m.attempts[op.a];
      if (att.status === 'created') {
        att.status = 'pending';
        att.lastFact = 'pending';
        event(m, false);
      }
      return true;
    }
    case 'failed':
    case 'attempt_expired': {
      const att = m.attempts[op.a];
      if (att.status !== 'created' && att.status !== 'pending') return true; // settled attempts do not change
      att.status = op.k === 'failed' ? 'failed' : 'expired';
      att.lastFact = op.k;
      // Only the failure of the newest attempt shows on a payment that can still be paid.
      if (op.k === 'failed' && op.a === m.attempts.length - 1 && payable(m.status)) m.status = 'failed';
      event(m, op.k === 'failed');
      return true;
    }
    case 'mismatch': {
      const att = m.attempts[op.a];
      // Never paid. A repeat of the report the attempt last received is the same fact.
      if (att.lastFact === 'mismatch') return true;
      att.lastFact = 'mismatch';
      const { reason } = mismatchOf(op.a);
      review(m, reason);
      event(m, true, reason);
      return true;
    }
    case 'paid':
    case 'refund': {
      const att = m.attempts[op.a];
      if (att.status !== 'paid') {
        att.status = 'paid';
        att.lastFact = 'paid';
        if (moneyTaken(m.status)) {
          review(m, 'double_payment');
          event(m, true, 'double_payment');
        } else {
          const late = m.status === 'expired' ? 'paid_after_expiry' : m.status === 'cancelled' ? 'paid_after_cancel' : null;
          m.status = 'paid';
          m.paidAttempt = op.a;
          event(m, true);
          if (late) {
            review(m, late);
            event(m, true, late);
          }
        }
      }
      if (op.k === 'refund' && m.paidAttempt === op.a) {
        m.maxReported = Math.max(m.maxReported, op.total);
        const capped = Math.min(op.total, PAID);
        if (capped > m.refunded) {
          m.refunded = capped;
          m.status = capped === PAID ? 'refunded' : 'partially_refunded';
          event(m, true);
        }
        if (op.total > PAID && m.review === null) {
          m.review = 'refund_exceeds_paid';
          event(m, true, 'refund_exceeds_paid');
        }
      }
      return true;
    }
  }
}

function factFor(op: Op, att: AttemptRow): ProviderFact {
  const base = { providerOrderNo: att.providerOrderNo };
  switch (op.k) {
    case 'pending':
      return { ...base, status: 'pending', rawStatus: 'pending' };
    case 'failed':
      return { ...base, status: 'failed', rawStatus: 'declined' };
    case 'attempt_expired':
      return { ...base, status: 'expired', rawStatus: 'timeout' };
    case 'paid':
      return { ...base, status: 'paid', amountMinor: PAID, currency: 'AMD', rawStatus: 'succeeded' };
    case 'refund':
      return { ...base, status: 'paid', amountMinor: PAID, currency: 'AMD', refundedTotalMinor: op.total, rawStatus: 'succeeded' };
    case 'mismatch': {
      const m = mismatchOf(op.a);
      return { ...base, status: 'paid', amountMinor: m.amountMinor, currency: m.currency, rawStatus: 'succeeded' };
    }
    default:
      throw new Error(`not a fact: ${op.k}`);
  }
}

const attemptIdx = fc.integer({ min: 0, max: MAX_ATTEMPTS - 1 });
const refundTotal = fc.oneof(fc.constantFrom(0, 30_000, 50_000, PAID, PAID + 20_000), fc.integer({ min: 1, max: PAID + 50_000 }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('pending' as const), a: attemptIdx }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('paid' as const), a: attemptIdx }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('failed' as const), a: attemptIdx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('attempt_expired' as const), a: attemptIdx }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('refund' as const), a: attemptIdx, total: refundTotal }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('mismatch' as const), a: attemptIdx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('open' as const) }) },
);
/** A sequence with some operations delivered again later (duplicates interleaved with the rest). */
const sequenceArb = fc
  .tuple(fc.array(opArb, { minLength: 1, maxLength: 16 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 5 }))
  .map(([ops, repeats]) => {
    const out = [...ops];
    for (const [from, to] of repeats) out.splice(to % (out.length + 1), 0, ops[from % ops.length]);
    return out;
  });

describeStores('server/payments: any order of facts (property)', function (kind) {
  let l: Ledger;
  // One database for all runs (a new payment and lead per run) keeps 300+ runs fast.
  before(async () => {
    l = await openLedger({ store: kind });
  });
  after(() => l.close());

  it('ends where the rules say, never un-pays, never over-refunds, and writes each event once', async function () {
    this.timeout(120_000);
    const observe = async (p: PaymentRow) => {
      const [row] = await l.store.run((tx) =>
        tx.rows<{ audit: number; notes: number; tasks: number; leadUpdates: number; exceptions: number }>(sql`
          SELECT
            (SELECT count(*) FROM audit_entries WHERE payment_id = ${p.id}) AS audit,
            (SELECT count(*) FROM sync_jobs WHERE payment_id = ${p.id} AND kind = 'note') AS notes,
            (SELECT count(*) FROM sync_jobs WHERE payment_id = ${p.id} AND kind = 'task') AS tasks,
            (SELECT count(*) FROM sync_jobs WHERE lead_id = ${p.leadId} AND kind = 'lead_update') AS "leadUpdates",
            (SELECT count(*) FROM exceptions WHERE payment_id = ${p.id}) AS exceptions`),
      );
      return row;
    };
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (ops) => {
        const p: PaymentRow = await newPayment(l, { amountMinor: PAID, currency: 'AMD', expiresInHours: 24 });
        const rows: AttemptRow[] = [await newAttempt(l, p.id), await newAttempt(l, p.id)];
        const m: Model = {
          status: 'awaiting',
          review: null,
          paidAttempt: null,
          refunded: 0,
          maxReported: 0,
          attempts: [
            { status: 'created', lastFact: null },
            { status: 'created', lastFact: null },
          ],
          pastExpiry: false,
          audit: 3,
          notes: 1,
          exceptionReasons: new Set(),
        };

        for (const [i, op] of ops.entries()) {
          const at = `step ${i} ${JSON.stringify(op)}`;
          const wasTaken = moneyTaken((await paymentRow(l, p.id)).status as MStatus);
          if (op.k === 'open' && m.attempts.length >= MAX_ATTEMPTS) continue;
          const allowed = step(m, op);
          let refused: string | undefined;
          try {
            if (op.k === 'expire') {
              l.clock.set(Math.max(l.clock.now(), p.expiresAt));
              m.pastExpiry = true;
              await expirePayment(l.deps, { paymentId: p.id });
            } else if (op.k === 'cancel') {
              await cancelPayment(l.deps, { paymentId: p.id, accountId: l.accountId, actor: 'user:7' });
            } else if (op.k === 'open') {
              rows.push(await newAttempt(l, p.id));
            } else if ('a' in op && op.a < rows.length) {
              await apply(l, rows[op.a], factFor(op, rows[op.a]));
            }
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            refused = err.code;
          }
          expect(refused === undefined, `${at}: refused=${refused}`).to.equal(allowed);

          const row = await paymentRow(l, p.id);
          const c = await observe(p);
          expect(row.status, at).to.equal(m.status);
          expect(row.reviewReason, at).to.equal(m.review);
          expect(row.refundedAmountMinor, at).to.equal(m.refunded);
          expect(row.paidAttemptId, at).to.equal(m.paidAttempt === null ? null : rows[m.paidAttempt].id);
          if (wasTaken) expect(moneyTaken(row.status as MStatus), `${at}: paid regressed to ${row.status}`).to.equal(true);
          expect(c.audit, `${at}: audit entries (${(await countsFor(l, p)).actions.join(',')})`).to.equal(m.audit);
          expect(c.notes, `${at}: notes`).to.equal(m.notes);
          expect(c.tasks, `${at}: tasks`).to.equal(m.exceptionReasons.size);
          expect(c.exceptions, `${at}: exceptions`).to.equal(m.exceptionReasons.size);
          expect(c.leadUpdates, `${at}: lead updates coalesce`).to.equal(1);
        }

        const row = await paymentRow(l, p.id);
        expect(row.refundedAmountMinor).to.be.at.most(PAID);
        expect(row.refundedAmountMinor).to.equal(Math.min(m.maxReported, PAID));
        if (moneyTaken(row.status as MStatus)) {
          expect(row.paidAmountMinor).to.equal(PAID);
          expect(row.paidAt).to.be.a('number');
        } else {
          expect(row.paidAmountMinor).to.equal(null);
          expect(row.paidAt).to.equal(null);
        }
        const { refunds, syncJobs } = l.db.t;
        const [{ n: recorded }] = await l.db
          .select({ n: sql<number>`coalesce(sum(${refunds.amountMinor}), 0)` })
          .from(refunds)
          .where(and(eq(refunds.paymentId, p.id), eq(refunds.state, 'succeeded')));
        expect(recorded, 'refund rows add up to the refunded total').to.equal(row.refundedAmountMinor);
        const noteKeys = await l.db
          .select({ k: syncJobs.dedupeKey })
          .from(syncJobs)
          .where(and(eq(syncJobs.paymentId, p.id), eq(syncJobs.kind, 'note')));
        expect(new Set(noteKeys.map((n) => n.k)).size).to.equal(noteKeys.length);
      }),
      { numRuns: kind === 'sqlite' ? 300 : 100 },
    );
  });
});
