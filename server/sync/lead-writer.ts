import { eq } from 'drizzle-orm';
import type { CrmStatus } from '../../shared/crm-status.ts';
import type { Store } from '../db/store.ts';
import type { ClaimedJob } from './job-store.ts';
import { buildLeadPatch, leadPatchTarget, type LeadPatchItem } from './lead-update-payload.ts';
import { parsePayload, type JobWriter } from './writers.ts';

/** What the lead job remembers between sends (the outbox leaves its payload alone when it re-arms it). */
interface LeadPayload {
  syncedStatus?: CrmStatus;
}

/**
 * Lead updates: one job per lead (the outbox coalesces), one PATCH item per lead carrying the state
 * read now. Idempotent, so retries after a timeout are safe.
 */
export function leadUpdateWriter(store: Store): JobWriter<LeadPatchItem> {
  const built = new WeakMap<ClaimedJob, { item: LeadPatchItem; status: CrmStatus } | undefined>();
  return {
    kind: 'lead_update',
    async prepare(ctx, jobs) {
      const done: ClaimedJob[] = [];
      const send: ClaimedJob[] = [];
      const target = leadPatchTarget(ctx.account.account);
      for (const job of jobs) {
        // The generation read together with the state it describes: a later event makes the job stay pending.
        const { syncedStatus } = parsePayload<LeadPayload>(job);
        const patch = await store.run(function* (tx) {
          const { syncJobs } = tx.t;
          const gen = yield* tx.get(tx.select({ generation: syncJobs.generation }).from(syncJobs).where(eq(syncJobs.id, job.row.id)));
          if (gen) job.generation = gen.generation;
          return yield* buildLeadPatch(tx, target, job.row.leadId, ctx.publicUrl, { lastSyncedStatus: syncedStatus });
        });
        built.set(job, patch);
        (patch ? send : done).push(job);
      }
      return { done, send };
    },
    item(_ctx, job, index) {
      return { ...built.get(job)!.item, request_id: String(index) };
    },
    donePayload(job) {
      const patch = built.get(job);
      return patch ? JSON.stringify({ ...parsePayload<LeadPayload>(job), syncedStatus: patch.status }) : undefined;
    },
    async send(ctx, items) {
      await ctx.account.amocrm.leads.patch(items);
    },
  };
}
