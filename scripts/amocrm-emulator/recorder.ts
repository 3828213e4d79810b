import type { RequestHandler, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { ctx } from './context.ts';
import type { RecordedRequest } from './types.ts';

/** Every request the emulator answered, bounded so long benchmarks do not grow memory without end. */
export class RequestLog {
  /** Mutated in place: callers may hold on to `emulator.requests`. */
  readonly entries: RecordedRequest[] = [];
  private seq = 0;

  constructor(private readonly max: number) {}

  get enabled(): boolean {
    return this.max > 0;
  }

  push(entry: Omit<RecordedRequest, 'seq'>): void {
    this.entries.push({ seq: ++this.seq, ...entry });
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }

  clear(): void {
    this.entries.length = 0;
  }

  since(seq: number): RecordedRequest[] {
    return this.entries.filter((e) => e.seq > seq);
  }
}

/** Debug traffic (the playground polling) would drown what tests want to see. */
export const isDebugPath = (path: string): boolean => path.startsWith('/__emulator');

/**
 * Records at `res.end`, not on 'finish': the entry is in place before the client can read the
 * answer, so a test may inspect `requests` right after its call returns.
 */
export function recorder(log: RequestLog, now: () => number): RequestHandler {
  return (req, res, next) => {
    if (!log.enabled || isDebugPath(req.path)) return next();
    const at = now();
    // Read now: under a mounted router (the /api/v4 gate answers 401/429/403) req.path is relative.
    const path = req.path;
    const started = performance.now();
    const c = ctx(res);
    let done = false;
    const record = (status: number) => {
      if (done) return;
      done = true;
      log.push({
        at,
        method: req.method,
        path,
        query: { ...(req.query as Record<string, unknown>) },
        ...(c.accountId !== undefined ? { accountId: c.accountId } : {}),
        status,
        ...(req.body !== undefined ? { body: req.body } : {}),
        durationMs: performance.now() - started,
        ...(c.fault ? { fault: c.fault } : {}),
      });
    };
    c.recordDrop = () => record(0);
    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      record(res.statusCode);
      return (end as (...a: unknown[]) => Response).apply(this, args);
    } as Response['end'];
    next();
  };
}
