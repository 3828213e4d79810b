import type { AccountContext } from '../accounts/account-context.ts';
import { chunk } from './batch-split.ts';
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
  /** The account being drained, read once for the drain, with its amoCRM client. */
  account: AccountContext;
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

/**
 * Which markers already appear in the texts amoCRM lists for these leads (newest first, 50 leads
 * and up to 5 pages per look). `wanted` holds, per write, the markers it may carry (the current one
 * and the one older versions wrote); the look stops once every write is found. Used after a write
 * that timed out or failed with 5xx: it may be there, and writing it again would show the manager
 * the same event twice.
 */
export async function findMarkers(
  leadIds: number[],
  wanted: string[][],
  page: (leads: number[], page: number) => Promise<{ texts: string[]; hasNext: boolean }>,
): Promise<Set<string>> {
  const found = new Set<string>();
  const markers = [...new Set(wanted.flat())];
  const allFound = () => wanted.every((alternatives) => alternatives.some((m) => found.has(m)));
  for (const leads of chunk([...new Set(leadIds)], 50)) {
    for (let n = 1; n <= 5; n++) {
      const { texts, hasNext } = await page(leads, n);
      for (const text of texts) for (const m of markers) if (text.includes(m)) found.add(m);
      if (allFound() || !hasNext) break;
    }
  }
  return found;
}
