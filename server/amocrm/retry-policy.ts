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
 * - `ip_refused`: the account's API settings refuse this server's IP address: stop calling it, the
 *   same cool-down as a block, and an exception that says which address to allow.
 *
 * A 403 means different things (amoCRM error reference, https://www.amocrm.ru/developers/content/crm_platform/error-codes):
 * the block after repeated rate-limit violations answers nginx's HTML page; a method the token's user
 * has no rights for answers JSON; an IP not on the account's whitelist answers error code 113. So
 * 403 rows look at the body, and the user lookups (the manager-name list, the admin check), which
 * need admin rights, are never read as a block.
 */
export type PolicyAction = 'retry' | 'never' | 'refresh_once' | 'block' | 'ip_refused';

/** How a 403's body reads: an HTML page (the block), JSON naming the IP whitelist (code 113), other JSON, or nothing. */
export type BodyKind = 'html' | 'json' | 'json_ip_refused' | 'empty';

export type Outcome =
  | {
      kind: 'status';
      status: number;
      /** The answer's first bytes (403s are told apart by them). */
      body?: string;
      /** The call's path (`/api/v4/users/5`): some endpoints' 403s are never a block. */
      path?: string;
    }
  | { kind: 'network'; timedOut: boolean; errno?: string };

export interface PolicyRow {
  /** What the row matches, in words (also what tests and docs quote). */
  when: string;
  match: {
    status?: number;
    from?: number;
    to?: number;
    network?: 'timeout' | 'refused' | 'other';
    /** The body must read as one of these. */
    body?: readonly BodyKind[];
    /** The call's path must match. */
    path?: RegExp;
  };
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
  {
    when: "403 naming this server's IP (error code 113: the account whitelists API addresses)",
    match: { status: 403, body: ['json_ip_refused'] },
    action: 'ip_refused',
    code: 'amocrm_ip_not_allowed',
    ambiguous: false,
  },
  {
    when: '403 on a user lookup (needs admin rights): that call fails, never a block',
    match: { status: 403, path: /^\/api\/v4\/users(\/|$)/ },
    action: 'never',
    code: 'amocrm_forbidden',
    ambiguous: false,
  },
  {
    when: "403 with a JSON body: the token's user lacks rights for this method; that call fails, no block",
    match: { status: 403, body: ['json'] },
    action: 'never',
    code: 'amocrm_forbidden',
    ambiguous: false,
  },
  {
    when: "403 with amoCRM's block page (HTML) or no body: account blocked",
    match: { status: 403 },
    action: 'block',
    code: 'amocrm_account_blocked',
    ambiguous: false,
  },
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

/** amoCRM's IP whitelist refusal: error code 113, or a message about the IP address. */
const IP_CODE = /"(?:error_code|code|error)"\s*:\s*"?113"?/;
const IP_TEXT = /IP[ -]?(?:address|адрес)|с Вашего IP|from your IP|whitelist/i;

export function bodyKindOf(body: string | undefined): BodyKind {
  const text = (body ?? '').trim();
  if (text === '') return 'empty';
  if (!/^[[{]/.test(text)) return 'html';
  try {
    JSON.parse(text);
  } catch {
    return 'html';
  }
  return IP_CODE.test(text) || IP_TEXT.test(text) ? 'json_ip_refused' : 'json';
}

function matchesStatus(row: PolicyRow, o: Extract<Outcome, { kind: 'status' }>, kind: () => BodyKind): boolean {
  const m = row.match;
  const s = o.status;
  const statusOk = (m.status !== undefined && m.status === s) || (m.from !== undefined && m.to !== undefined && s >= m.from && s <= m.to);
  if (!statusOk) return false;
  if (m.path && !(o.path !== undefined && m.path.test(o.path))) return false;
  return !m.body || m.body.includes(kind());
}

/** The row for an outcome; undefined for a success (2xx/3xx). */
export function classify(outcome: Outcome): PolicyRow | undefined {
  let kind: BodyKind | undefined;
  const bodyKind = () => (kind ??= bodyKindOf(outcome.kind === 'status' ? outcome.body : undefined));
  for (const row of RETRY_POLICY) {
    if (outcome.kind === 'network') {
      if (row.match.network && row.match.network === networkKind(outcome)) return row;
      continue;
    }
    if (row.match.network) continue;
    if (matchesStatus(row, outcome, bodyKind)) return row;
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
