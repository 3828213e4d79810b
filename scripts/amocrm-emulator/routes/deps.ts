import type { Request, Response } from 'express';
import { ctx } from '../context.ts';
import type { RequestLog } from '../recorder.ts';
import type { Responder } from '../send.ts';
import type { InvoiceBook } from '../invoices.ts';
import type { SalesbotBook } from '../salesbot.ts';
import type { AccountState, EmulatorState } from '../state.ts';
import type { TokenStore } from '../oauth.ts';
import type { EmulatorOptions, PaywallSetup } from '../types.ts';

export interface RouteDeps {
  state: EmulatorState;
  tokens: TokenStore;
  responder: Responder;
  log: RequestLog;
  options: Required<Pick<EmulatorOptions, 'clientId' | 'clientSecret' | 'redirectUri'>> & { now: () => number };
  /** The invoices list of each account (catalogs). */
  invoices: InvoiceBook;
  /** Salesbots: their widget requests, continues, runs and messages. */
  bots: SalesbotBook;
  /** A bot started for a lead (the run API): recorded, and its dramlink step fired in the background. */
  startBot(accountId: number, botId: number, entityId: number, entityType: string, api: 'v2' | 'v4'): void;
  /** The acquiring integration's registered PayWall address and methods, once set. */
  paywall: { setup?: PaywallSetup };
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
