import type { Response } from 'express';
import type { FaultKind, FaultRule } from './types.ts';

/** Per-request facts the middleware chain learns and later steps (routes, recorder) read. */
export interface RequestContext {
  /** From the bearer token (even an expired one) or the OAuth grant: for recording and faults. */
  accountId?: number;
  /** The user the access token was issued to; set only once the token is known valid. */
  userId?: number;
  fault?: FaultKind;
  /** An applyThenFail fault waiting for the route to apply its write. */
  afterWrite?: FaultRule;
  /** Set by the recorder: log this request as answered with no status (connection dropped). */
  recordDrop?: () => void;
}

export function ctx(res: Response): RequestContext {
  const locals = res.locals as { emu?: RequestContext };
  locals.emu ??= {};
  return locals.emu;
}
