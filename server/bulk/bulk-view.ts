import type { BulkView } from '../../shared/api.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import { NotFoundError } from '../errors/app-error.ts';
import { batchLinkRequests } from '../lead-links/link-request-store.ts';

/**
 * Why a bulk run made no link for a lead by design rather than by failure: the lead already has a
 * link that can be paid, or it has no price to charge (docs/architecture.md, Bulk from the lead list).
 */
const SKIP_REASONS: ReadonlySet<string> = new Set(['live_link', 'no_price', 'invalid_price']);

/** A bulk run's progress and summary, from its requests; 404 `bulk_not_found` for a run this account does not have. */
export function* bulkView(tx: Tx, accountId: number, batchId: string): Step<BulkView> {
  const rows = yield* batchLinkRequests(tx, accountId, batchId);
  if (rows.length === 0) throw new NotFoundError('bulk_not_found', `No bulk run ${batchId} in this account.`);
  const settled = rows.filter((r) => r.state === 'done' || r.state === 'failed');
  const skipped = settled.filter(
    (r) => r.outcome === 'skipped' || r.outcome === 'reused' || (r.state === 'failed' && SKIP_REASONS.has(r.reason ?? '')),
  );
  const failed = settled.filter((r) => r.state === 'failed' && !SKIP_REASONS.has(r.reason ?? ''));
  return {
    id: batchId,
    total: rows.length,
    done: settled.length,
    finished: settled.length === rows.length,
    created: rows.filter((r) => r.outcome === 'created').length,
    skipped: skipped.map((r) => ({ leadId: r.leadId, reason: r.reason ?? 'live_link' })),
    failed: failed.map((r) => ({ leadId: r.leadId, reason: r.reason ?? 'error' })),
  };
}
