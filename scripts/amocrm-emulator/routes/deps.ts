import type { Request, Response } from 'express';
import { ctx } from '../context.ts';
import type { RequestLog } from '../recorder.ts';
import type { Responder } from '../send.ts';
import type { AccountState, EmulatorState } from '../state.ts';
import type { TokenStore } from '../oauth.ts';
import type { EmulatorOptions } from '../types.ts';

export interface RouteDeps {
  state: EmulatorState;
  tokens: TokenStore;
  responder: Responder;
  log: RequestLog;
  options: Required<Pick<EmulatorOptions, 'clientId' | 'clientSecret' | 'redirectUri'>> & { now: () => number };
}

/** The caller's account and user; only valid behind requireApiAccess. */
export function caller(deps: RouteDeps, res: Response): { acc: AccountState; userId: number } {
  const c = ctx(res);
  return { acc: deps.state.require(c.accountId!), userId: c.userId! };
}

/** HAL links point back at this emulator, so clients that follow `_links.next` stay on it. */
export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

export const selfLink = (req: Request, path: string) => ({ self: { href: `${baseUrl(req)}${path}` } });

/** Path params that must be amoCRM ids; anything else is a miss. */
export function idParam(v: unknown): number | undefined {
  return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}
