import type { BulkView } from '../../shared/api.ts';
import type { Tx } from '../db/tx.ts';
import { NotFoundError } from '../errors/app-error.ts';
import { batchLinkRequests } from '../lead-links/link-request-store.ts';

/** A bulk run's progress and summary, from its requests; 404 `bulk_not_found` for a run this account does not have. */
export function bulkView(db: Tx, accountId: number, batchId: string): BulkView {
  const rows = batchLinkRequests(db, accountId, batchId);
  if (rows.length === 0) throw new NotFoundError('bulk_not_found', `No bulk run ${batchId} in this account.`);
  const settled = rows.filter((r) => r.state === 'done' || r.state === 'failed');
  return {
    id: batchId,
    total: rows.length,
    done: settled.length,
    finished: settled.length === rows.length,
    created: rows.filter((r) => r.outcome === 'created').length,
    skipped: rows
      .filter((r) => r.outcome === 'skipped' || r.outcome === 'reused')
      .map((r) => ({ leadId: r.leadId, reason: r.reason ?? 'live_link' })),
    failed: rows.filter((r) => r.state === 'failed').map((r) => ({ leadId: r.leadId, reason: r.reason ?? 'error' })),
  };
}
