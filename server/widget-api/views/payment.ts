import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { PaymentView } from '../../../shared/api.ts';
import { crmStatusOf } from '../../../shared/crm-status.ts';
import type { syncJobs } from '../../db/schema.ts';
import type { Step } from '../../db/step.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import { loadPayment } from '../../payments/load-payment.ts';
import { paymentLink } from '../../payments/create-payment.ts';
import type { AttemptRow, PaymentRow } from '../../payments/payment-state.ts';

type SyncJobRow = typeof syncJobs.$inferSelect;

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

function parseDetails(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The widget API's Payment JSON (shared/api.ts) for payment rows, with three queries however many payments there are.
 * `history` is the payment's audit trail oldest first (newest last), as a log reads.
 * `sync` says whether amoCRM has heard everything about the payment: its notes and tasks, and the
 * lead update of its lead (shared by the lead's payments: one lead, one update).
 */
export function* paymentViews(tx: Tx, publicUrl: string, rows: readonly PaymentRow[]): Step<PaymentView[]> {
  if (rows.length === 0) return [];
  const { attempts, auditEntries, syncJobs } = tx.t;
  const ids = rows.map((r) => r.id);
  const attemptRows = yield* tx.all(
    tx.select().from(attempts).where(inArray(attempts.paymentId, ids)).orderBy(asc(attempts.seq), asc(attempts.id)),
  );
  const auditRows = yield* tx.all(tx.select().from(auditEntries).where(inArray(auditEntries.paymentId, ids)).orderBy(asc(auditEntries.id)));
  const accountId = rows[0].accountId;
  const leadIds = [...new Set(rows.map((r) => r.leadId))];
  const failedAuto = yield* heldWithFailedActions(tx, attemptRows);
  const jobRows = yield* tx.all(
    tx
      .select()
      .from(syncJobs)
      .where(
        and(
          eq(syncJobs.accountId, accountId),
          or(inArray(syncJobs.paymentId, ids), and(eq(syncJobs.kind, 'lead_update'), inArray(syncJobs.leadId, leadIds))),
        ),
      )
      .orderBy(asc(syncJobs.id)),
  );

  return rows.map((p) => {
    const own = attemptRows.filter((a) => a.paymentId === p.id);
    const history = auditRows.filter((a) => a.paymentId === p.id);
    const jobs = jobRows.filter((j) => j.paymentId === p.id || (j.kind === 'lead_update' && j.leadId === p.leadId));
    return {
      id: p.id,
      leadId: p.leadId,
      status: p.status,
      crmStatus: crmStatusOf({ status: p.status, needsReview: p.reviewReason !== null }),
      needsReview: p.reviewReason === null ? null : { reason: p.reviewReason, since: iso(p.reviewSince ?? p.updatedAt) },
      amountMinor: p.amountMinor,
      currency: p.currency,
      description: p.description,
      link: paymentLink(publicUrl, p.linkToken),
      expiresAt: iso(p.expiresAt),
      createdAt: iso(p.createdAt),
      createdBy: p.createdBy,
      paidAt: isoOrNull(p.paidAt),
      paidAmountMinor: p.paidAmountMinor,
      refundedAmountMinor: p.refundedAmountMinor,
      providerRef: p.providerRef,
      providers: parseProviders(p.providers),
      attempts: own.map(attemptView),
      hold: holdView(own, failedAuto),
      history: history.map((h) => ({ at: iso(h.at), actor: h.actor, action: h.action, details: parseDetails(h.details) })),
      sync: syncView(jobs),
    } as PaymentView;
  });
}

function parseProviders(json: string): PaymentView['providers'] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? (list.filter((x) => typeof x === 'string') as PaymentView['providers']) : [];
  } catch {
    return [];
  }
}

function attemptView(a: AttemptRow): PaymentView['attempts'][number] {
  return {
    id: a.id,
    provider: a.provider as PaymentView['attempts'][number]['provider'],
    providerOrderNo: a.providerOrderNo,
    providerPaymentId: a.providerPaymentId,
    status: a.status,
    amountMinor: a.amountMinor,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
}

/** Held attempts with a failed capture or void: the panel then offers Capture and Void to admins, whatever the mode. */
function* heldWithFailedActions(tx: Tx, attemptRows: readonly AttemptRow[]): Step<Set<string>> {
  const held = attemptRows.filter((a) => a.status === 'authorized').map((a) => a.id);
  if (held.length === 0) return new Set();
  const { holdActions } = tx.t;
  const rows = yield* tx.all(
    tx
      .select({ attemptId: holdActions.attemptId })
      .from(holdActions)
      .where(and(inArray(holdActions.attemptId, held), eq(holdActions.state, 'failed'))),
  );
  return new Set(rows.map((r) => r.attemptId));
}

/** The payment's held funds (its newest `authorized` attempt), or null. */
function holdView(own: readonly AttemptRow[], failedAuto: ReadonlySet<string>): PaymentView['hold'] {
  const a = own.filter((x) => x.status === 'authorized').at(-1);
  if (!a) return null;
  return {
    attemptId: a.id,
    amountMinor: a.amountMinor,
    currency: a.currency,
    captureMode: a.captureMode === 'manual' || failedAuto.has(a.id) ? 'manual' : 'auto',
    since: iso(a.heldAt ?? a.updatedAt),
  };
}

/** failing/dead → failing (with the error); pending/in flight → pending; everything done → synced. */
export function syncView(jobs: readonly SyncJobRow[]): PaymentView['sync'] {
  const byRecent = [...jobs].sort((a, b) => b.updatedAt - a.updatedAt);
  const failing = byRecent.find((j) => j.state === 'failing' || j.state === 'dead');
  if (failing) return { state: 'failing', lastError: failing.lastError ?? 'amoCRM refused the update', attempts: failing.attempts };
  const waiting = byRecent.filter((j) => j.state === 'pending' || j.state === 'in_flight');
  if (waiting.length) {
    return {
      state: 'pending',
      lastError: waiting.find((j) => j.lastError)?.lastError ?? null,
      attempts: Math.max(...waiting.map((j) => j.attempts)),
    };
  }
  return { state: 'synced', lastError: null, attempts: 0 };
}

/** One payment of this account as the widget sees it (404 payment_not_found otherwise). */
export function loadPaymentView(store: Store, publicUrl: string, paymentId: string, accountId?: number): Promise<PaymentView> {
  return store.run(function* (tx) {
    const payment = yield* loadPayment(tx, paymentId, accountId === undefined ? {} : { accountId });
    const [view] = yield* paymentViews(tx, publicUrl, [payment]);
    return view;
  });
}
