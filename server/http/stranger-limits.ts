import { isIP } from 'node:net';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';

/**
 * How much unverified work strangers may cause: requests to the unauthenticated endpoints that
 * prove nothing (an unsigned or forged notification, a precheck, a return, a customer's click on
 * a payment link) are counted per client address and per account in fixed windows. Past a budget
 * the request is answered 429 before anything is stored, queried or logged; the first refusal of a
 * key in a window writes one log line, the rest none. Verified notifications are never counted.
 */
export interface StrangerBudget {
  /** Requests per window per client address (an IPv6 client counts by its /64). */
  perIp: number;
  /** Requests per window per account (larger: one busy client cannot use up an account's budget). */
  perAccount: number;
  windowMs: number;
}

export const WEBHOOK_BUDGET: StrangerBudget = { perIp: 120, perAccount: 600, windowMs: 60_000 };
export const PAY_PAGE_BUDGET: StrangerBudget = { perIp: 60, perAccount: 1200, windowMs: 60_000 };
/** Install callbacks: each one makes the server call amoCRM, and a person installs a few times at most. */
export const INSTALL_BUDGET: StrangerBudget = { perIp: 20, perAccount: 20, windowMs: 60_000 };

/** Keys remembered per window; past it every new key is refused (a flood of addresses fails closed). */
const MAX_KEYS = 100_000;

export interface StrangerLimits {
  /** Counts one request; false when the client or the account is over its budget (answer 429, do nothing). */
  admit(ip: string | undefined, accountId?: number): boolean;
  /** Seconds until the current window ends, for Retry-After. */
  retryAfterSec(): number;
}

export function createStrangerLimits(deps: { clock: Clock; logger: Logger; name: string; budget: StrangerBudget }): StrangerLimits {
  const { budget } = deps;
  let window = -1;
  const counts = new Map<string, number>();
  const logged = new Set<string>();

  const over = (key: string, limit: number): boolean => {
    const seen = counts.get(key);
    if (seen === undefined && counts.size >= MAX_KEYS) return true;
    const n = (seen ?? 0) + 1;
    counts.set(key, n);
    return n > limit;
  };

  return {
    admit(ip, accountId) {
      const current = Math.floor(deps.clock.now() / budget.windowMs);
      if (current !== window) {
        window = current;
        counts.clear();
        logged.clear();
      }
      const ipKey = `ip:${clientKey(ip)}`;
      const accountKey = accountId === undefined || !Number.isSafeInteger(accountId) ? undefined : `account:${accountId}`;
      const ipOver = over(ipKey, budget.perIp);
      // A client already refused does not use up its account's budget as well.
      const accountOver = !ipOver && accountKey !== undefined && over(accountKey, budget.perAccount);
      if (!ipOver && !accountOver) return true;
      const key = ipOver ? ipKey : accountKey!;
      if (!logged.has(key)) {
        logged.add(key);
        deps.logger.warn(`${deps.name}: rate limited until the window ends (one line per client or account and window)`, {
          limited: key,
          windowSec: budget.windowMs / 1000,
          budget: ipOver ? budget.perIp : budget.perAccount,
        });
      }
      return false;
    },
    retryAfterSec() {
      const now = deps.clock.now();
      return Math.max(1, Math.ceil((budget.windowMs - (now % budget.windowMs)) / 1000));
    },
  };
}

/** The address a budget is kept for: IPv4 as is, IPv6 by its /64 (one host has a whole /64 to rotate through). */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(plain) !== 6) return plain;
  const [head, tail = ''] = plain.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}
