import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { exceptionSchema, type ExceptionView } from '../../../shared/api.ts';
import type { Db } from '../../db/database.ts';
import { accounts, exceptions, payments } from '../../db/schema.ts';

type Reader = Pick<Db, 'select'>;
type Kind = ExceptionView['kind'];
const KINDS = new Set<string>(exceptionSchema.shape.kind.options);

const iso = (ms: number): string => new Date(ms).toISOString();

const ACCOUNT_STATE_EXCEPTION: Record<string, { kind: Kind; message: string; action: string } | undefined> = {
  needs_reconnect: {
    kind: 'account_needs_reconnect',
    message: 'dramlink lost access to this amoCRM account: leads are not updated until it is reconnected.',
    action:
      'An account administrator reinstalls dramlink (Settings → Integrations → dramlink). Payments keep working meanwhile; leads catch up afterwards.',
  },
  blocked: {
    kind: 'account_blocked',
    message: 'amoCRM blocked API access for this account: lead updates are paused.',
    action: 'Wait for the block to lift (dramlink retries by itself); if it lasts, contact amoCRM support with the account id.',
  },
};

/**
 * What needs a person in this account, newest first: the open rows of the exceptions table
 * (payments needing review, sync failing, failed refunds, account blocked or needing reconnect),
 * plus anything the current state shows that has no row (a payment flagged for review, an account
 * that is not active), so nothing a person must handle is missing from the list.
 * `leadId` limits the list to one lead's exceptions and the account-wide ones (the lead card's context).
 */
export function listExceptions(db: Reader, accountId: number, opts: { leadId?: number } = {}): ExceptionView[] {
  const rows = db
    .select()
    .from(exceptions)
    .where(and(eq(exceptions.accountId, accountId), isNull(exceptions.resolvedAt)))
    .orderBy(desc(exceptions.openedAt), desc(exceptions.id))
    .all();
  const out: ExceptionView[] = rows
    .filter((r) => KINDS.has(r.kind))
    .map((r) => ({
      id: `exc_${r.id}`,
      kind: r.kind as Kind,
      paymentId: r.paymentId,
      leadId: r.leadId,
      message: r.message,
      action: r.action,
      since: iso(r.openedAt),
    }));

  const reviewed = new Set(out.filter((e) => e.kind === 'needs_review').map((e) => e.paymentId));
  const flagged = db
    .select({
      id: payments.id,
      leadId: payments.leadId,
      reason: payments.reviewReason,
      since: payments.reviewSince,
      updatedAt: payments.updatedAt,
    })
    .from(payments)
    .where(and(eq(payments.accountId, accountId), isNotNull(payments.reviewReason)))
    .all();
  for (const p of flagged) {
    if (reviewed.has(p.id)) continue;
    out.push({
      id: `review_${p.id}`,
      kind: 'needs_review',
      paymentId: p.id,
      leadId: p.leadId,
      message: `Payment ${p.id} needs review: ${p.reason}.`,
      action: 'Open the payment in the lead card, check it in the provider cabinet and settle it with the customer.',
      since: iso(p.since ?? p.updatedAt),
    });
  }

  const account = db
    .select({ state: accounts.state, updatedAt: accounts.updatedAt })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  const stateException = account ? ACCOUNT_STATE_EXCEPTION[account.state] : undefined;
  if (account && stateException && !out.some((e) => e.kind === stateException.kind)) {
    out.push({ id: `account_${account.state}`, paymentId: null, leadId: null, since: iso(account.updatedAt), ...stateException });
  }

  const scoped = opts.leadId === undefined ? out : out.filter((e) => e.leadId === null || e.leadId === opts.leadId);
  return scoped.sort((a, b) => (a.since < b.since ? 1 : a.since > b.since ? -1 : 0));
}
