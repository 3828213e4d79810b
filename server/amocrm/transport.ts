import type { Logger } from '../logging/logger.ts';
import { HttpTransportError, type HttpClient, type HttpResponse } from '../platform/http-client.ts';
import { buildQuery, type AmocrmCall } from './call.ts';

/** Where one request goes and with which token; `budgetKey` is the account whose rate budget it spends. */
export interface SendTarget {
  budgetKey: number;
  baseUrl: string;
  accessToken: string;
}

/** The result of one HTTP exchange, before the retry table decides. */
export type Answer = { res: HttpResponse } | { transport: HttpTransportError };

export type Send = (target: SendTarget, call: AmocrmCall) => Promise<Answer>;

/**
 * The innermost layer: one HTTP request with the bearer token and a deadline. A network failure is
 * an answer too (`transport`), so the retry table can classify it; nothing is retried here.
 */
export function createTransport(deps: { http: HttpClient; logger: Logger; readTimeoutMs: number }): Send {
  const { http, logger } = deps;
  return async (target, call) => {
    const started = Date.now();
    const trace = { accountId: target.budgetKey, method: call.method, path: call.path };
    try {
      const res = await http.request({
        method: call.method,
        url: `${target.baseUrl}${call.path}${buildQuery(call.query)}`,
        headers: { authorization: `Bearer ${target.accessToken}`, accept: 'application/json' },
        body: call.body,
        timeoutMs: call.timeoutMs ?? deps.readTimeoutMs,
      });
      logger.debug('amocrm call', { ...trace, status: res.status, ms: Date.now() - started });
      return { res };
    } catch (err) {
      if (!(err instanceof HttpTransportError)) throw err;
      logger.debug('amocrm call failed', { ...trace, error: err.message, ms: Date.now() - started });
      return { transport: err };
    }
  };
}
