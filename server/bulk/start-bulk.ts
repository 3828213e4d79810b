import type { LedgerDeps } from '../payments/deps.ts';
import type { LinkParams } from '../lead-links/link-params.ts';
import { openLinkRequest } from '../lead-links/link-request-store.ts';

/**
 * A bulk run from the lead list (docs/architecture.md, Bulk from the lead list): one link request
 * per selected lead, opened together; the runner reads the leads 250 at a time within the account's
 * rate budget and makes each link from the lead's own price, skipping a lead that has a live link
 * or no price. The widget's `requestId` names the run, so a retried POST is the same run.
 */
export function startBulk(
  deps: LedgerDeps,
  input: { accountId: number; actor: string; actorName?: string; leadIds: readonly number[]; requestId: string },
): Promise<{ batchId: string; opened: number }> {
  const now = deps.clock.now();
  const batchId = input.requestId;
  const params: LinkParams = {
    amount: { mode: 'lead_price' },
    actor: input.actor,
    ...(input.actorName ? { actorName: input.actorName } : {}),
  };
  return deps.store.transaction(function* (tx) {
    let opened = 0;
    for (const leadId of new Set(input.leadIds)) {
      const { created } = yield* openLinkRequest(tx, {
        accountId: input.accountId,
        source: 'bulk',
        requestKey: `${batchId}:${leadId}`,
        leadId,
        batchId,
        params,
        now,
      });
      if (created) opened++;
    }
    return { batchId, opened };
  });
}
