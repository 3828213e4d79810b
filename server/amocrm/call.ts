export type QueryValue = string | number | boolean | ReadonlyArray<string | number>;

/** One amoCRM API request, as the endpoints describe it. */
export interface AmocrmCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `/api/v4/...` */
  path: string;
  /** Keys as amoCRM spells them, brackets included: `{ 'filter[entity_id][]': [1, 2], limit: 250 }`. */
  query?: Record<string, QueryValue | undefined>;
  body?: Record<string, unknown> | unknown[];
  /**
   * Safe to repeat after an answer that may hide a success (timeout, 5xx). Default: every method
   * but POST. A non-idempotent call is then not retried: the caller checks and decides.
   */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface AmocrmResult<T> {
  status: number;
  /** Parsed JSON; undefined for 204 (amoCRM's empty list) and empty bodies. */
  data: T | undefined;
}

/** Anything that sends calls for one account (the bound client, or the install's token-in-hand client). */
export interface AmocrmRequester {
  request<T = unknown>(call: AmocrmCall): Promise<AmocrmResult<T>>;
}

export const describeCall = (call: AmocrmCall): string => `${call.method} ${call.path}`;

export function isIdempotent(call: AmocrmCall): boolean {
  return call.idempotent ?? call.method !== 'POST';
}

/** amoCRM's query string: repeated keys for arrays, brackets left readable. */
export function buildQuery(query: AmocrmCall['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      parts.push(`${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
