import type { Request, RequestHandler } from 'express';
import { ctx } from './context.ts';
import { faultReply } from './fault-reply.ts';
import { validationFailed, type Reply } from './reply.ts';
import type { Responder } from './send.ts';
import type { Timers } from './timers.ts';
import type { FaultHandle, FaultInjector, FaultRule } from './types.ts';
import { requestIdOf } from './validation.ts';

interface Entry {
  rule: FaultRule;
  hits: number;
  remaining: number;
}

interface Hit {
  rule: FaultRule;
  /** For failItem: indexes of the batch items to report. */
  failing?: number[];
}

/** The batch a request carries; a single-object body (PATCH /leads/:id) is a batch of one. */
function batchOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  return body && typeof body === 'object' ? [body] : [];
}

function failingItems(rule: FaultRule, body: unknown): number[] {
  const spec = rule.failItem!;
  const out: number[] = [];
  batchOf(body).forEach((item, i) => {
    if (spec.index !== undefined && spec.index !== i) return;
    if (spec.matcher && !spec.matcher(item, i)) return;
    out.push(i);
  });
  return out;
}

/**
 * Faults in insertion order; the first matching one with uses left shapes the request.
 * A failItem fault matches only requests whose batch holds a matching item, so a "poisoned" item
 * keeps failing in whatever batch it travels while its neighbours go through (what batch splitting
 * must cope with).
 */
export class Faults implements FaultInjector {
  private entries: Entry[] = [];

  add(rule: FaultRule): FaultHandle {
    const entry: Entry = { rule, hits: 0, remaining: rule.times ?? 1 };
    this.entries.push(entry);
    const remove = () => {
      entry.remaining = 0;
      this.entries = this.entries.filter((e) => e !== entry);
    };
    return {
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entry.remaining;
      },
      remove,
    };
  }

  clear(): void {
    for (const e of this.entries) e.remaining = 0;
    this.entries = [];
  }

  get pending(): number {
    return this.entries.filter((e) => e.remaining > 0).length;
  }

  /** Synchronous, so concurrent requests consume faults in arrival order. */
  take(req: Request, accountId: number | undefined): Hit | undefined {
    for (const entry of this.entries) {
      if (entry.remaining <= 0) continue;
      const { rule } = entry;
      if (rule.method && rule.method.toUpperCase() !== req.method) continue;
      if (typeof rule.path === 'string' && rule.path !== req.path) continue;
      if (rule.path instanceof RegExp) {
        rule.path.lastIndex = 0;
        if (!rule.path.test(req.path)) continue;
      }
      if (rule.accountId !== undefined && rule.accountId !== accountId) continue;
      let failing: number[] | undefined;
      if (rule.failItem) {
        failing = failingItems(rule, req.body);
        if (failing.length === 0) continue;
      }
      entry.hits++;
      entry.remaining--;
      if (entry.remaining <= 0) this.entries = this.entries.filter((e) => e !== entry);
      return { rule, failing };
    }
    return undefined;
  }
}

function failItemReply(rule: FaultRule, body: unknown, failing: number[]): Reply {
  const spec = rule.failItem!;
  const items = batchOf(body);
  return validationFailed(
    failing.map((i) => ({
      request_id: requestIdOf(items[i], i),
      errors: [
        {
          code: spec.code ?? 'NotSupportedChoice',
          path: spec.path ?? 'custom_fields_values.0.field_id',
          detail: spec.detail ?? 'Injected validation error',
        },
      ],
    })),
  );
}

export function faultMiddleware(faults: Faults, responder: Responder, timers: Timers): RequestHandler {
  return async (req, res, next) => {
    const c = ctx(res);
    const hit = faults.take(req, c.accountId);
    if (!hit) return next();
    const { rule, failing } = hit;
    if (rule.applyThenFail) {
      c.fault = 'applyThenFail';
      c.afterWrite = rule;
      return next();
    }
    await timers.sleep(rule.delayMs ?? 0);
    if (rule.dropConnection) {
      c.fault = 'drop';
      return responder.drop(res);
    }
    if (failing) {
      c.fault = 'failItem';
      return responder.write(res, failItemReply(rule, req.body, failing));
    }
    if (rule.status !== undefined) {
      c.fault = 'status';
      return responder.write(res, faultReply(rule));
    }
    c.fault = 'delay';
    next();
  };
}
