import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { PaymentView } from '../../../shared/api.ts';
import { crmStatusOf } from '../../../shared/crm-status.ts';
import type { Db } from '../../db/database.ts';
import { attempts, auditEntries, holdActions, syncJobs } from '../../db/schema.ts';
import { paymentLink } from '../../payments/create-payment.ts';
import type { AttemptRow, PaymentRow } from '../../payments/payment-state.ts';

type Reader = Pick<Db, 'select'>;
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
export function paymentViews(db: Reader, publicUrl: string, rows: readonly PaymentRow[]): PaymentView[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const attemptRows = db.select().from(attempts).where(inArray(attempts.paymentId, ids)).orderBy(asc(attempts.seq)).all();
  const auditRows = db.select().from(auditEntries).where(inArray(auditEntries.paymentId, ids)).orderBy(asc(auditEntries.id)).all();
  const accountId = rows[0].accountId;
  const leadIds = [...new Set(rows.map((r) => r.leadId))];
  const failedAuto = heldWithFailedActions(db, attemptRows);
  const jobRows = db
    .select()
    .from(syncJobs)
    .where(
      and(
        eq(syncJobs.accountId, accountId),
        or(inArray(syncJobs.paymentId, ids), and(eq(syncJobs.kind, 'lead_update'), inArray(syncJobs.leadId, leadIds))),
      ),
    )
    .all();

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
function heldWithFailedActions(db: Reader, attemptRows: readonly AttemptRow[]): Set<string> {
  const held = attemptRows.filter((a) => a.status === 'authorized').map((a) => a.id);
  if (held.length === 0) return new Set();
  const rows = db
    .select({ attemptId: holdActions.attemptId })
    .from(holdActions)
    .where(and(inArray(holdActions.attemptId, held), eq(holdActions.state, 'failed')))
    .all();
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
