import type { AmocrmClient } from '../amocrm/client.ts';
import { chunk } from './batch-split.ts';
import type { ClaimedJob } from './job-store.ts';
import type { LegacyTextPayload, TaskJobPayload } from './outbox.ts';
import { noteMarker } from './render/note-text.ts';
import { renderTaskText } from './render/task-text.ts';
import { needsVerify, parsePayload, withVerify, type JobWriter } from './writers.ts';

/** A person has a day to act on an exception. */
export const TASK_DUE_MS = 24 * 60 * 60_000;
/** amoCRM's "follow-up" task type. */
export const TASK_TYPE_FOLLOW_UP = 1;

type TaskPayload = (TaskJobPayload | LegacyTextPayload) & { exceptionKey: string };

interface TaskItem {
  text: string;
  complete_till: number;
  entity_type: 'leads';
  entity_id: number;
  task_type_id: number;
  responsible_user_id?: number;
  request_id: string;
}

function taskMarker(job: ClaimedJob): string {
  return noteMarker(`task:${parsePayload<TaskPayload>(job).exceptionKey}`);
}

async function findTaskMarkers(client: AmocrmClient, accountId: number, leadIds: number[], markers: Set<string>): Promise<Set<string>> {
  const found = new Set<string>();
  for (const leads of chunk([...new Set(leadIds)], 50)) {
    for (let page = 1; page <= 5; page++) {
      const res = await client.request<{ _embedded?: { tasks?: Array<{ text?: unknown }> }; _links?: { next?: unknown } }>(accountId, {
        method: 'GET',
        path: '/api/v4/tasks',
        query: { 'filter[entity_type]': 'leads', 'filter[entity_id][]': leads, 'order[id]': 'desc', limit: 250, page },
      });
      for (const task of res.data?._embedded?.tasks ?? []) {
        const text = typeof task.text === 'string' ? task.text : '';
        for (const m of markers) if (text.includes(m)) found.add(m);
      }
      if (found.size === markers.size || !res.data?._links?.next) break;
    }
  }
  return found;
}

/** Tasks only for exceptions (queued once per exception by the ledger), created once each. */
export function taskWriter(): JobWriter<TaskItem> {
  return {
    kind: 'task',
    async prepare(ctx, jobs) {
      const check = jobs.filter(needsVerify);
      if (check.length === 0) return { done: [], send: jobs };
      const found = await findTaskMarkers(
        ctx.client,
        ctx.account.accountId,
        check.map((j) => j.row.leadId),
        new Set(check.map(taskMarker)),
      );
      const done = check.filter((j) => found.has(taskMarker(j)));
      return { done, send: jobs.filter((j) => !done.includes(j)) };
    },
    item(ctx, job, index) {
      const p = parsePayload<TaskPayload>(job);
      const responsible = ctx.account.taskResponsibleUserId;
      return {
        text: `${renderTaskText(p)} ${taskMarker(job)}`,
        complete_till: Math.floor((ctx.now + TASK_DUE_MS) / 1000),
        entity_type: 'leads',
        entity_id: job.row.leadId,
        task_type_id: TASK_TYPE_FOLLOW_UP,
        ...(responsible !== null ? { responsible_user_id: responsible } : {}),
        request_id: String(index),
      };
    },
    async send(ctx, items) {
      await ctx.client.request(ctx.account.accountId, { method: 'POST', path: '/api/v4/tasks', body: items, idempotent: false });
    },
    markForVerify: withVerify,
  };
}
