import type { AmocrmErrorCode } from './errors.ts';

/**
 * What the client does with each kind of amoCRM answer: the one table (docs/architecture.md,
 * Principles and Flows 6 Sync to amoCRM). Read top to bottom; the first matching row wins.
 *
 * - `retry`: back off (exponential with jitter, at least 1 s, Retry-After honoured) and try again.
 *   A write that is not idempotent is retried only when the failure proves nothing was applied
 *   (`ambiguous: false`); otherwise the caller is told and must check before writing again.
 * - `never`: fail now; the same request would fail the same way.
 * - `refresh_once`: refresh the token once and repeat; a second 401 fails.
 * - `block`: amoCRM blocked the account: stop every call for it and raise an exception.
 */
export type PolicyAction = 'retry' | 'never' | 'refresh_once' | 'block';

export type Outcome = { kind: 'status'; status: number } | { kind: 'network'; timedOut: boolean; errno?: string };

export interface PolicyRow {
  /** What the row matches, in words (also what tests and docs quote). */
  when: string;
  match: { status?: number; from?: number; to?: number; network?: 'timeout' | 'refused' | 'other' };
  action: PolicyAction;
  code: AmocrmErrorCode;
  /** The request may have been applied although no success answer came back. */
  ambiguous: boolean;
  /** Other requests of the account wait out the back-off too (429). */
  pausesAccount?: boolean;
}

export const RETRY_POLICY: readonly PolicyRow[] = [
  { when: 'connection refused', match: { network: 'refused' }, action: 'retry', code: 'amocrm_unreachable', ambiguous: false },
  { when: 'read timeout', match: { network: 'timeout' }, action: 'retry', code: 'amocrm_timeout', ambiguous: true },
  { when: 'other network error (reset, DNS)', match: { network: 'other' }, action: 'retry', code: 'amocrm_unreachable', ambiguous: true },
  {
    when: '429 too many requests',
    match: { status: 429 },
    action: 'retry',
    code: 'amocrm_rate_limited',
    ambiguous: false,
    pausesAccount: true,
  },
  { when: '5xx server error', match: { from: 500, to: 599 }, action: 'retry', code: 'amocrm_server_error', ambiguous: true },
  { when: '401 unauthorized', match: { status: 401 }, action: 'refresh_once', code: 'amocrm_unauthorized', ambiguous: false },
  { when: '403 account blocked', match: { status: 403 }, action: 'block', code: 'amocrm_account_blocked', ambiguous: false },
  { when: '400 validation failed', match: { status: 400 }, action: 'never', code: 'amocrm_validation_failed', ambiguous: false },
  { when: '402 payment required', match: { status: 402 }, action: 'never', code: 'amocrm_payment_required', ambiguous: false },
  { when: '404 not found', match: { status: 404 }, action: 'never', code: 'amocrm_not_found', ambiguous: false },
  { when: 'any other 4xx', match: { from: 400, to: 499 }, action: 'never', code: 'amocrm_client_error', ambiguous: false },
];

function networkKind(o: Extract<Outcome, { kind: 'network' }>): 'timeout' | 'refused' | 'other' {
  if (o.timedOut) return 'timeout';
  if (o.errno === 'ECONNREFUSED') return 'refused';
  return 'other';
}

/** The row for an outcome; undefined for a success (2xx/3xx). */
export function classify(outcome: Outcome): PolicyRow | undefined {
  for (const row of RETRY_POLICY) {
    const m = row.match;
    if (outcome.kind === 'network') {
      if (m.network && m.network === networkKind(outcome)) return row;
      continue;
    }
    if (m.network) continue;
    const s = outcome.status;
    if (m.status !== undefined && m.status === s) return row;
    if (m.from !== undefined && m.to !== undefined && s >= m.from && s <= m.to) return row;
  }
  return undefined;
}

/** Back-off before retry number `retry` (1-based): 1 s, 2 s, 4 s … times a jitter in [1, 2), capped. */
export const MIN_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 30_000;

export function backoffMs(retry: number, opts: { retryAfterMs?: number; random?: () => number } = {}): number {
  const random = opts.random ?? Math.random;
  const base = MIN_BACKOFF_MS * 2 ** Math.max(0, retry - 1);
  const jittered = Math.min(MAX_BACKOFF_MS, Math.round(base * (1 + random())));
  // Retry-After is the server's own word: never retry sooner, even if it is longer than our cap.
  return Math.max(MIN_BACKOFF_MS, jittered, opts.retryAfterMs ?? 0);
}

/** `Retry-After: <seconds>` or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
