import { AmocrmError } from '../amocrm/errors.ts';
import type { Store } from '../db/store.ts';
import { recordObservation } from '../observations/observation-store.ts';
import type { BotContinueJobPayload } from './outbox.ts';
import { parsePayload, type JobWriter } from './writers.ts';

/**
 * The answers Salesbot steps wait for (docs/architecture.md, Salesbot): one POST to each step's
 * return_url with the link in `data`. amoCRM takes one answer per step and then says 404 ("no
 * widget waits for a result"): after an earlier try that may have arrived, or for a step that was
 * dropped meanwhile, that 404 ends the job instead of making it a dead letter. Noted for doctor.
 */
export function botContinueWriter(store: Store): JobWriter<BotContinueJobPayload> {
  return {
    kind: 'bot_continue',
    async prepare(_ctx, jobs) {
      return { done: [], send: jobs };
    },
    item(_ctx, job) {
      return parsePayload<BotContinueJobPayload>(job);
    },
    async send(ctx, items) {
      const note = (fields: Record<string, string | number | null>) =>
        store.transaction((tx) => recordObservation(tx, ctx.account.accountId, 'salesbot', fields, ctx.now));
      for (const item of items) {
        try {
          await ctx.account.amocrm.salesbot.continue(item.path, { data: item.data });
          await note({ lastContinueOkAt: ctx.now, lastContinueErrorCode: null });
        } catch (err) {
          if (err instanceof AmocrmError && err.code === 'amocrm_not_found') {
            await note({ lastContinueNotFoundAt: ctx.now });
            continue;
          }
          await note({ lastContinueErrorAt: ctx.now, lastContinueErrorCode: err instanceof AmocrmError ? err.code : 'error' });
          throw err;
        }
      }
    },
  };
}
