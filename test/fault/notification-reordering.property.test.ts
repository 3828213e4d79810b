import { expect } from 'chai';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { crmStatusOf } from '../../shared/crm-status.ts';
import type { PaymentStatus } from '../../shared/status.ts';
import { CRM_STATUS_LABELS } from '../../server/amocrm/lead-fields.ts';
import { auditEntries, payments, providerEvents, syncJobs } from '../../server/db/schema.ts';
import { expirePayment } from '../../server/payments/expire-payment.ts';
import type { AttemptRow } from '../../server/payments/payment-state.ts';
import {
  drain,
  expectEveryNoteExactlyOnce,
  installAccount,
  newPayment,
  sandboxBody,
  sendSandbox,
  startFaultApp,
  type FaultApp,
} from '../support/fault-harness.ts';

/**
 * Guards against out-of-order and repeated provider notifications moving a payment backwards,
 * over-refunding it, or applying anything twice. Each run is one payment with two sandbox attempts;
 * its events (succeeded, failed, refunded with cumulative totals) go as signed notifications over
 * HTTP through the real app, in a random order, with redeliveries (same webhook-id) and repeats
 * (a new webhook-id for the same fact), mixed with expiry (ledger, clock past the link's life) and
 * cancellation (widget API). After every step the payment is compared with a model of the status
 * rules written here; at the end the CRM is synced and every lead shows the model's status.
 */

const PAID = 100_000;
const RUNS = 200;
const SEED = 20260302;

type Op =
  | { k: 'succeeded'; a: 0 | 1 }
  | { k: 'failed'; a: 0 | 1 }
  | { k: 'refunded'; a: 0 | 1; total: number }
  | { k: 'redeliver'; n: number }
  | { k: 'expire' }
  | { k: 'cancel' };

type MStatus = PaymentStatus;
interface Model {
  status: MStatus;
  review: string | null;
  paidAttempt: number | null;
  refunded: number;
  attempts: Array<'created' | 'paid' | 'failed'>;
}

const moneyTaken = (s: MStatus) => s === 'paid' || s === 'partially_refunded' || s === 'refunded';
const payable = (s: MStatus) => s === 'awaiting' || s === 'failed';

/** The status rules (docs/architecture.md, Status rules), independently of server/payments/rules. Returns whether a cancel is allowed. */
function step(m: Model, op: Op): boolean {
  switch (op.k) {
    case 'expire':
      if (payable(m.status)) m.status = 'expired';
      return true;
    case 'cancel':
      if (!payable(m.status)) return false;
      m.status = 'cancelled';
      return true;
    case 'failed':
      if (m.attempts[op.a] !== 'created') return true; // a settled attempt does not change
      m.attempts[op.a] = 'failed';
      // Only the newest attempt's failure shows, and only while the link can still be paid.
      if (op.a === 1 && payable(m.status)) m.status = 'failed';
      return true;
    case 'succeeded':
    case 'refunded': {
      if (m.attempts[op.a] !== 'paid') {
        m.attempts[op.a] = 'paid';
        if (moneyTaken(m.status)) {
          m.review ??= 'double_payment';
        } else {
          const late = m.status === 'expired' ? 'paid_after_expiry' : m.status === 'cancelled' ? 'paid_after_cancel' : null;
          m.status = 'paid';
          m.paidAttempt = op.a;
          if (late) m.review ??= late;
        }
      }
      if (op.k === 'refunded' && m.paidAttempt === op.a && op.total > m.refunded) {
        m.refunded = Math.min(op.total, PAID);
        m.status = m.refunded === PAID ? 'refunded' : 'partially_refunded';
      }
      return true;
    }
    case 'redeliver':
      return true;
  }
}

const attemptIdx = fc.constantFrom<0 | 1>(0, 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('succeeded' as const), a: attemptIdx }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('failed' as const), a: attemptIdx }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('refunded' as const),
      a: attemptIdx,
      total: fc.oneof(fc.constantFrom(30_000, 50_000, PAID), fc.integer({ min: 1, max: PAID })),
    }),
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('redeliver' as const), n: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('expire' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const) }) },
);
/** A sequence with some of its operations repeated later (the same fact again, under a new webhook-id). */
const sequenceArb = fc
  .tuple(fc.array(opArb, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }))
  .map(([ops, repeats]) => {
    const out = [...ops];
    for (const [from, to] of repeats) out.splice(to % (out.length + 1), 0, ops[from % ops.length]);
    return out;
  });

describe("fault: 200 random orders of one payment's notifications (property, over HTTP)", function () {
  this.timeout(300_000);
  let f: FaultApp;
  let accountId: number;
  let managerId: number;
  before(async () => {
    f = await startFaultApp();
    const account = await installAccount(f);
    accountId = account.id;
    managerId = account.users.find((u) => !u.is_admin)!.id;
  });
  after(() => f.close());

  it('ends where the rules say, never un-pays, never over-refunds, and ignores every redelivery', async () => {
    const db = f.t.db;
    const count = (table: typeof auditEntries | typeof providerEvents | typeof syncJobs, paymentId: string) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(table)
        .where(eq(table.paymentId, paymentId))
        .get()!.n;
    const expected: Array<{ leadId: number; label: string }> = [];
    let runs = 0;
    let requests = 0;
    const outcomes = new Map<string, number>();
    const finals = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(sequenceArb, async (ops) => {
        runs++;
        const { payment, attempts: rows, leadId } = await newPayment(f, accountId, { amountMinor: PAID, expiresInHours: 1, attempts: 2 });
        const m: Model = { status: 'awaiting', review: null, paidAttempt: null, refunded: 0, attempts: ['created', 'created'] };
        const sent: Array<{ id: string; body: string }> = [];
        let everTaken = false;

        for (const [i, op] of ops.entries()) {
          const at = `run ${runs} step ${i} ${JSON.stringify(op)} of ${JSON.stringify(ops)}`;
          const before = {
            audit: count(auditEntries, payment.id),
            inbox: count(providerEvents, payment.id),
            jobs: count(syncJobs, payment.id),
          };
          const allowed = step(m, op);
          if (op.k === 'expire') {
            if (f.clock.now() < payment.expiresAt) f.clock.set(payment.expiresAt);
            await expirePayment(f.t.app.services.ledger, { paymentId: payment.id });
          } else if (op.k === 'cancel') {
            const token = f.emu.signDisposableToken({ accountId, userId: managerId });
            const res = await fetch(`${f.t.url}/api/v1/payments/${payment.id}/cancel`, {
              method: 'POST',
              headers: { 'x-auth-token': token, 'content-type': 'application/json' },
              body: '{}',
            });
            requests++;
            const answer = (await res.json()) as { error?: { code: string } };
            expect(res.status, `${at}: ${JSON.stringify(answer)}`).to.equal(allowed ? 200 : 409);
          } else {
            let message: { id: string; body: string };
            if (op.k === 'redeliver') {
              if (sent.length === 0) continue;
              message = sent[op.n % sent.length];
            } else {
              const attempt: AttemptRow = rows[op.a];
              const body = sandboxBody(
                op.k === 'succeeded' ? 'payment.succeeded' : op.k === 'failed' ? 'payment.failed' : 'payment.refunded',
                attempt,
                op.k === 'refunded' ? { refundedMinor: op.total } : {},
              );
              message = { id: `msg_${payment.id}_${i}`, body };
              sent.push(message);
            }
            const res = await sendSandbox(f.t.url, accountId, message.body, message.id, Math.floor(f.clock.now() / 1000));
            requests++;
            expect(res.status, `${at}: ${await res.text()}`).to.equal(200);
          }

          const row = db.select().from(payments).where(eq(payments.id, payment.id)).get()!;
          expect(row.status, at).to.equal(m.status);
          expect(row.reviewReason, at).to.equal(m.review);
          expect(row.refundedAmountMinor, at).to.equal(m.refunded);
          expect(row.paidAttemptId, at).to.equal(m.paidAttempt === null ? null : rows[m.paidAttempt].id);
          if (everTaken) expect(moneyTaken(row.status as MStatus), `${at}: paid regressed to ${row.status}`).to.equal(true);
          everTaken ||= moneyTaken(row.status as MStatus);
          expect(row.refundedAmountMinor, `${at}: refunded more than paid`).to.be.at.most(row.paidAmountMinor ?? 0);
          if (op.k === 'redeliver') {
            // The same webhook-id again: answered, and nothing at all is written.
            expect(
              { audit: count(auditEntries, payment.id), inbox: count(providerEvents, payment.id), jobs: count(syncJobs, payment.id) },
              at,
            ).to.deep.equal(before);
          }
        }

        const row = db.select().from(payments).where(eq(payments.id, payment.id)).get()!;
        const paidEvents = db
          .select()
          .from(auditEntries)
          .where(and(eq(auditEntries.paymentId, payment.id), eq(auditEntries.action, 'paid')))
          .all();
        expect(paidEvents, 'one paid event at most').to.have.length(moneyTaken(m.status) ? 1 : 0);
        expect(count(providerEvents, payment.id), 'one inbox row per webhook-id').to.equal(sent.length);
        if (moneyTaken(m.status)) expect(row.paidAmountMinor).to.equal(PAID);
        else expect([row.paidAmountMinor, row.paidAt]).to.deep.equal([null, null]);
        for (const r of db
          .select({ outcome: providerEvents.outcome })
          .from(providerEvents)
          .where(eq(providerEvents.paymentId, payment.id))
          .all()) {
          outcomes.set(r.outcome ?? '-', (outcomes.get(r.outcome ?? '-') ?? 0) + 1);
        }
        const final = `${m.status}${m.review ? `+${m.review}` : ''}`;
        finals.set(final, (finals.get(final) ?? 0) + 1);
        expected.push({ leadId, label: CRM_STATUS_LABELS[crmStatusOf({ status: m.status, needsReview: m.review !== null })] });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(runs).to.equal(RUNS);

    // Every run's lead in the CRM ends where its model did, with each event's note once.
    await drain(f, { accounts: [accountId], maxPasses: 200 });
    const wrong = expected.filter((e) => f.emu.leadFieldValue(accountId, e.leadId, 'DRAMLINK_STATUS') !== e.label);
    expect(wrong, 'leads out of step').to.deep.equal([]);
    const notes = await expectEveryNoteExactlyOnce(f, accountId);
    console.log(`      ${runs} orders, ${requests} HTTP requests; inbox outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
    console.log(
      `      final states ${JSON.stringify(Object.fromEntries([...finals].sort((a, b) => b[1] - a[1])))}; ${notes} notes on ${expected.length} leads, each once`,
    );
  });
});
