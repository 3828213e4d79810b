/**
 * Sends a batch; when amoCRM rejects it as a whole (400), halves it until the bad items stand
 * alone, so one poisoned item costs about 2·log2(n) extra requests and never holds back the rest.
 */
export type PartOutcome<J> =
  | { jobs: J[]; ok: true }
  /** A single item amoCRM rejects: a dead letter. */
  | { jobs: [J]; ok: false; rejected: true; error: unknown }
  /** Failed for another reason (network, 5xx, 429, account-level): retry later. */
  | { jobs: J[]; ok: false; rejected: false; error: unknown };

export async function sendSplitting<J>(
  jobs: J[],
  send: (part: J[]) => Promise<void>,
  isRejection: (err: unknown) => boolean,
): Promise<PartOutcome<J>[]> {
  if (jobs.length === 0) return [];
  try {
    await send(jobs);
    return [{ jobs, ok: true }];
  } catch (err) {
    if (!isRejection(err)) return [{ jobs, ok: false, rejected: false, error: err }];
    if (jobs.length === 1) return [{ jobs: [jobs[0]], ok: false, rejected: true, error: err }];
    const mid = Math.ceil(jobs.length / 2);
    const left = await sendSplitting(jobs.slice(0, mid), send, isRejection);
    const right = await sendSplitting(jobs.slice(mid), send, isRejection);
    return [...left, ...right];
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
