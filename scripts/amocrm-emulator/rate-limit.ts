export type Admission = 'ok' | 'limited' | 'blocked';

const WINDOW_MS = 1000;
const VIOLATION_WINDOW_MS = 60_000;

/** The one key every account shares when the limit is per IP address (all callers come from loopback). */
const IP_KEY = 0;

/**
 * amoCRM's limit: more than `rps` requests in any rolling second gets 429, and a caller that keeps
 * hitting it is blocked (403 on everything) until support lifts it
 * (https://developers.kommo.com/docs/limitations). amoCRM counts and blocks per account; Kommo
 * per IP address (`scope: 'ip'`): then every account on this emulator shares one budget and one
 * block, as several Kommo accounts on one dramlink server would. Only admitted requests fill the
 * window: rejected ones are not served, so a client that backs off recovers once the window rolls.
 * Time comes from the injected clock so fault suites can step through windows deterministically.
 */
export class RateLimiter {
  private readonly windows = new Map<number, number[]>();
  private readonly violations = new Map<number, number[]>();
  private readonly blocked = new Set<number>();

  constructor(
    private readonly rps: number,
    private readonly blockAfter: number,
    private readonly now: () => number,
    private readonly scope: 'account' | 'ip' = 'account',
  ) {}

  admit(account: number): Admission {
    const accountId = this.keyOf(account);
    if (this.blocked.has(accountId)) return 'blocked';
    const t = this.now();
    const window = this.windowOf(this.windows, accountId, t, WINDOW_MS);
    if (window.length < this.rps) {
      window.push(t);
      return 'ok';
    }
    const violations = this.windowOf(this.violations, accountId, t, VIOLATION_WINDOW_MS);
    violations.push(t);
    if (violations.length >= this.blockAfter) this.blocked.add(accountId);
    return 'limited';
  }

  isBlocked(account: number): boolean {
    return this.blocked.has(this.keyOf(account));
  }

  /** Per IP, blocking one account blocks every account. */
  block(account: number): void {
    this.blocked.add(this.keyOf(account));
  }

  /** Like support lifting the block: a clean slate. */
  unblock(account: number): void {
    const accountId = this.keyOf(account);
    this.blocked.delete(accountId);
    this.windows.delete(accountId);
    this.violations.delete(accountId);
  }

  private keyOf(accountId: number): number {
    return this.scope === 'ip' ? IP_KEY : accountId;
  }

  private windowOf(map: Map<number, number[]>, accountId: number, t: number, spanMs: number): number[] {
    let w = map.get(accountId);
    if (!w) map.set(accountId, (w = []));
    while (w.length > 0 && w[0] <= t - spanMs) w.shift();
    return w;
  }
}
