import { randomUUID } from 'node:crypto';
import type { Broadcast } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import { createInProcessSyncWake, type SyncWake } from './sync-wake.ts';

const CHANNEL = 'dramlink_sync_wake';

/**
 * The sync wake over the database (PostgreSQL LISTEN/NOTIFY): a committed outbox change on any
 * instance wakes the sync worker of every instance sharing the database, so whichever is free
 * claims the work at once. This process's own worker is woken directly, without the round trip;
 * its own messages coming back are ignored. A lost message costs only latency: the workers poll.
 */
export function createBroadcastSyncWake(broadcast: Broadcast, logger: Logger): SyncWake {
  const local = createInProcessSyncWake();
  const instance = randomUUID();
  broadcast
    .listen(CHANNEL, (payload) => {
      const [from, id] = payload.split(':');
      const accountId = Number(id);
      if (from !== instance && Number.isSafeInteger(accountId)) local.notify(accountId);
    })
    .catch((err: Error) =>
      logger.warn('sync wake: cannot listen for other instances; their changes wait for the poll', { error: err.message }),
    );
  return {
    notify(accountId) {
      local.notify(accountId);
      broadcast
        .notify(CHANNEL, `${instance}:${accountId}`)
        .catch((err: Error) => logger.warn('sync wake: other instances not told; they poll', { error: err.message }));
    },
    subscribe: (listener) => local.subscribe(listener),
  };
}
