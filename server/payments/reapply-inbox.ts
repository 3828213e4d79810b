import type { ProviderFact } from '../providers/provider.ts';
import { applyProviderFactInTx } from './apply-provider-fact.ts';
import type { LedgerDeps } from './deps.ts';
import { finishInboxRow, type InboxRow } from './inbox.ts';

/**
 * Runs an inbox row that was stored but never finished. Applying is idempotent (the ledger ignores
 * what it already knows), so running a row twice cannot change a payment twice.
 */
export async function reapplyInboxRow(deps: LedgerDeps, row: InboxRow): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(function* (tx) {
    if (!row.attemptId || !row.authenticated || !row.fact) {
      yield* finishInboxRow(tx, row.id, { state: 'ignored', outcome: 'nothing_to_apply', now });
      return;
    }
    const decision = yield* applyProviderFactInTx(tx, now, {
      attemptId: row.attemptId,
      fact: JSON.parse(row.fact) as ProviderFact,
      actor: `provider:${row.provider}`,
    });
    yield* finishInboxRow(tx, row.id, { state: decision.events.length ? 'applied' : 'ignored', outcome: decision.outcome, now });
  });
}
