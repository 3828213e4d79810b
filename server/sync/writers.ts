import type { AmocrmClient } from '../amocrm/client.ts';
import type { SyncAccountContext } from './account-context.ts';
import type { ClaimedJob, SyncJobKind } from './job-store.ts';

/** How one kind of sync job becomes amoCRM requests; the worker does claiming, batching, splitting and settling. */
export interface JobWriter<Item = unknown> {
  kind: SyncJobKind;
  /**
   * Before sending: jobs whose write is already in amoCRM (found by marker after an ambiguous
   * failure) or that have nothing to write are done; the rest are sent.
   */
  prepare(ctx: WriterContext, jobs: ClaimedJob[]): Promise<{ done: ClaimedJob[]; send: ClaimedJob[] }>;
  /** The batch item for one job, built as late as possible (lead state is read here). */
  item(ctx: WriterContext, job: ClaimedJob, index: number): Item;
  /** One batch request. */
  send(ctx: WriterContext, items: Item[]): Promise<void>;
  /** After a success: the payload to keep for the next send of this job (undefined: unchanged). */
  donePayload?(job: ClaimedJob): string | undefined;
  /** After an answer that may hide a success: the payload to keep, asking the next try to look first. */
  markForVerify?(job: ClaimedJob): string;
}

export interface WriterContext {
  account: SyncAccountContext;
  client: AmocrmClient;
  publicUrl: string;
  now: number;
}

export interface MarkedPayload {
  /** The previous try may have written it: look for the marker before writing again. */
  verify?: boolean;
}

export function parsePayload<T extends object>(job: ClaimedJob): T & { verify?: boolean } {
  try {
    return JSON.parse(job.row.payload) as T & { verify?: boolean };
  } catch {
    return {} as T;
  }
}

/** A job whose last try may have been applied: it failed ambiguously, or its worker died mid-send. */
export function needsVerify(job: ClaimedJob): boolean {
  return job.previousState === 'in_flight' || parsePayload<MarkedPayload>(job).verify === true;
}

export function withVerify(job: ClaimedJob): string {
  return JSON.stringify({ ...parsePayload<object>(job), verify: true });
}
