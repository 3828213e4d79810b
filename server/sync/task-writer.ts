import { taskResponsibleUserId } from '../accounts/account.ts';
import type { AccountAmocrm, TaskItem } from '../amocrm/endpoints/index.ts';
import type { ClaimedJob } from './job-store.ts';
import type { LegacyTextPayload, TaskJobPayload } from './outbox.ts';
import { accountLanguage } from '../accounts/account-language.ts';
import { ledgerStrings } from './render/ledger-strings.ts';
import { markersOf, noteMarker } from './render/note-text.ts';
import { renderTaskText } from './render/task-text.ts';
import { findMarkers, needsVerify, parsePayload, withVerify, type JobWriter } from './writers.ts';

/** A person has a day to act on an exception. */
export const TASK_DUE_MS = 24 * 60 * 60_000;
/** amoCRM's "follow-up" task type. */
export const TASK_TYPE_FOLLOW_UP = 1;

type TaskPayload = (TaskJobPayload | LegacyTextPayload) & { exceptionKey: string };

const taskKey = (job: ClaimedJob) => `task:${parsePayload<TaskPayload>(job).exceptionKey}`;

function taskMarker(job: ClaimedJob): string {
  return noteMarker(taskKey(job));
}

function findTaskMarkers(amocrm: AccountAmocrm, leadIds: number[], markers: string[][]): Promise<Set<string>> {
  return findMarkers(leadIds, markers, (leads, page) => amocrm.tasks.leadTexts(leads, page));
}

/** Tasks only for exceptions (queued once per exception by the ledger), created once each, in the account's language. */
export function taskWriter(): JobWriter<TaskItem> {
  return {
    kind: 'task',
    async prepare(ctx, jobs) {
      const check = jobs.filter(needsVerify);
      if (check.length === 0) return { done: [], send: jobs };
      const found = await findTaskMarkers(
        ctx.account.amocrm,
        check.map((j) => j.row.leadId),
        check.map((j) => markersOf(taskKey(j))),
      );
      const done = check.filter((j) => markersOf(taskKey(j)).some((m) => found.has(m)));
      return { done, send: jobs.filter((j) => !done.includes(j)) };
    },
    item(ctx, job, index) {
      const p = parsePayload<TaskPayload>(job);
      const responsible = taskResponsibleUserId(ctx.account.account);
      return {
        text: `${renderTaskText(p, ledgerStrings(accountLanguage(ctx.account.account)))} ${taskMarker(job)}`,
        complete_till: Math.floor((ctx.now + TASK_DUE_MS) / 1000),
        entity_type: 'leads',
        entity_id: job.row.leadId,
        task_type_id: TASK_TYPE_FOLLOW_UP,
        ...(responsible !== null ? { responsible_user_id: responsible } : {}),
        request_id: String(index),
      };
    },
    async send(ctx, items) {
      await ctx.account.amocrm.tasks.add(items);
    },
    markForVerify: withVerify,
  };
}
