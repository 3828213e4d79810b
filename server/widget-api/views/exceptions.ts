import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { ExceptionView } from '../../../shared/api.ts';
import type { Account } from '../../accounts/account.ts';
import type { Step } from '../../db/step.ts';
import type { Tx } from '../../db/tx.ts';
import { exceptionDetailOf, type ExceptionDetail } from '../../exceptions/exception-detail.ts';
import { ENGLISH } from '../../sync/render/strings-en.ts';
import type { ExceptionPlace, LedgerStrings } from '../../sync/render/strings.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

type Found = ExceptionPlace & { id: string; since: number; detail: ExceptionDetail };

/**
 * What needs a person in this account, newest first: the open rows of the exceptions table
 * (payments needing review, sync failing, failed refunds, account blocked or needing reconnect),
 * plus anything the current state shows that has no row (a payment flagged for review, an account
 * that is not active), so nothing a person must handle is missing from the list. Messages and
 * actions are rendered here from each exception's kind, reason and data, in the language of `strings`.
 * `leadId` limits the list to one lead's exceptions and the account-wide ones (the lead card's context).
 * The account is the one the caller already holds (read once per request), not read again here.
 */
export function* listExceptions(
  tx: Tx,
  account: Pick<Account, 'id' | 'state' | 'updatedAt'>,
  opts: { leadId?: number; strings?: LedgerStrings } = {},
): Step<ExceptionView[]> {
  const recorded = yield* openRows(tx, account.id);
  const found = [...recorded, ...(yield* flaggedWithoutRow(tx, account.id, recorded)), ...accountStateWithoutRow(account, recorded)];
  const scoped = opts.leadId === undefined ? found : found.filter((e) => e.leadId === null || e.leadId === opts.leadId);
  const strings = opts.strings ?? ENGLISH;
  return scoped
    .map((e) => ({
      id: e.id,
      kind: e.detail.kind,
      paymentId: e.paymentId,
      leadId: e.leadId,
      ...strings.exception(e.detail, e, strings),
      since: iso(e.since),
    }))
    .sort((a, b) => (a.since < b.since ? 1 : a.since > b.since ? -1 : 0));
}

function* openRows(tx: Tx, accountId: number): Step<Found[]> {
  const { exceptions } = tx.t;
  const rows = yield* tx.all(
    tx
      .select()
      .from(exceptions)
      .where(and(eq(exceptions.accountId, accountId), isNull(exceptions.resolvedAt)))
      .orderBy(desc(exceptions.openedAt), desc(exceptions.id)),
  );
  return rows.map((r) => ({
    id: `exc_${r.id}`,
    paymentId: r.paymentId,
    leadId: r.leadId,
    since: r.openedAt,
    detail: exceptionDetailOf(r),
  }));
}

/** Payments flagged for review whose exception row is missing (resolved by hand, or never written). */
function* flaggedWithoutRow(tx: Tx, accountId: number, recorded: readonly Found[]): Step<Found[]> {
  const { payments } = tx.t;
  const reviewed = new Set(recorded.filter((e) => e.detail.kind === 'needs_review').map((e) => e.paymentId));
  const flagged = yield* tx.all(
    tx
      .select()
      .from(payments)
      .where(and(eq(payments.accountId, accountId), isNotNull(payments.reviewReason)))
      .orderBy(payments.id),
  );
  return flagged.flatMap((p) =>
    p.reviewReason === null || reviewed.has(p.id)
      ? []
      : [
          {
            id: `review_${p.id}`,
            paymentId: p.id,
            leadId: p.leadId,
            since: p.reviewSince ?? p.updatedAt,
            detail: { kind: 'needs_review', reason: p.reviewReason, data: { amountMinor: p.amountMinor, currency: p.currency } },
          } satisfies Found,
        ],
  );
}

/** An account that cannot be called shows as such even when nothing recorded it as an exception. */
function accountStateWithoutRow(account: Pick<Account, 'state' | 'updatedAt'>, recorded: readonly Found[]): Found[] {
  const kind = account.state === 'blocked' ? 'account_blocked' : account.state === 'needs_reconnect' ? 'account_needs_reconnect' : null;
  if (!kind || recorded.some((e) => e.detail.kind === kind)) return [];
  return [
    {
      id: `account_${account.state}`,
      paymentId: null,
      leadId: null,
      since: account.updatedAt,
      detail: { kind, reason: 'account_state', data: {} },
    },
  ];
}
