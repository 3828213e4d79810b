import type { Router } from 'express';
import { bulkBodySchema } from '../../../shared/api.ts';
import { bulkView } from '../../bulk/bulk-view.ts';
import { startBulk } from '../../bulk/start-bulk.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { idParam, parseBody } from '../validate.ts';

/**
 * POST /bulk/payments: links for the leads selected in the lead list, made in the background
 * (202 with the run's progress); GET /bulk/payments/:batchId: its progress and, once finished, the
 * summary (created, and each lead skipped or failed with the reason).
 */
export function bulkPaymentsRoutes(router: Router, deps: WidgetApiDeps): void {
  router.post('/bulk/payments', deps.auth, async (req, res) => {
    const auth = authOf(res);
    const body = parseBody(req, bulkBodySchema);
    const { ledger, linkRunner, store, logger } = deps.services;
    const { batchId, opened } = await startBulk(ledger, {
      accountId: auth.accountId,
      actor: auth.actor,
      actorName: await deps.userName(auth),
      leadIds: body.leadIds,
      requestId: body.requestId,
    });
    if (opened > 0) linkRunner.kick();
    logger.info('bulk: links asked for from the lead list', {
      accountId: auth.accountId,
      batchId,
      leads: body.leadIds.length,
      opened,
      actor: auth.actor,
    });
    res.status(202).json({ batch: await store.run((tx) => bulkView(tx, auth.accountId, batchId)) });
  });
  router.get('/bulk/payments/:batchId', deps.auth, async (req, res) => {
    const auth = authOf(res);
    const batchId = idParam(req, 'batchId');
    res.json({ batch: await deps.services.store.run((tx) => bulkView(tx, auth.accountId, batchId)) });
  });
}
