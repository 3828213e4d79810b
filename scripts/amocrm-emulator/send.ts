import type { Request, RequestHandler, Response } from 'express';
import { ctx } from './context.ts';
import { faultReply } from './fault-reply.ts';
import type { Reply } from './reply.ts';
import type { Timers } from './timers.ts';

export type RouteFn = (req: Request, res: Response) => Reply | Promise<Reply>;

/** The one place replies are written, so an applyThenFail fault can replace any of them. */
export class Responder {
  constructor(private readonly timers: Timers) {}

  write(res: Response, reply: Reply): void {
    if (res.headersSent || res.destroyed) return;
    res.status(reply.status);
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    if (reply.contentType && !res.hasHeader('content-type')) {
      res.setHeader('content-type', `${reply.contentType}; charset=utf-8`);
    }
    if (reply.text !== undefined) res.end(reply.text);
    else if (reply.json !== undefined && reply.status !== 204) res.end(JSON.stringify(reply.json));
    else res.end();
  }

  drop(res: Response): void {
    ctx(res).recordDrop?.();
    res.socket?.destroy();
  }

  /** The write already happened in the route; now hang, drop, or answer the fault's status. */
  async send(res: Response, reply: Reply): Promise<void> {
    const c = ctx(res);
    const rule = c.afterWrite;
    if (!rule) return this.write(res, reply);
    c.afterWrite = undefined;
    await this.timers.sleep(rule.delayMs ?? 0);
    if (rule.dropConnection) return this.drop(res);
    this.write(res, rule.status !== undefined ? faultReply(rule) : reply);
  }

  route(fn: RouteFn): RequestHandler {
    return async (req, res) => {
      const reply = await fn(req, res);
      await this.send(res, reply);
    };
  }
}
