import type { HttpClient } from '../platform/http-client.ts';
import type { Metrics } from './metrics.ts';

/**
 * The HTTP seam of the amoCRM services, counted: every request by answer status (0 = no answer),
 * and token refreshes by result. A decorator, so the client and token code know nothing of metrics.
 */
export function countAmocrmHttp(http: HttpClient, metrics: Metrics): HttpClient {
  return {
    async request(req) {
      const refresh = req.url.endsWith('/oauth2/access_token') && isRefresh(req.body);
      try {
        const res = await http.request(req);
        metrics.amocrmRequests.inc({ status: String(res.status) });
        if (refresh) metrics.tokenRefreshes.inc({ result: res.status >= 200 && res.status < 300 ? 'ok' : `http_${res.status}` });
        return res;
      } catch (err) {
        metrics.amocrmRequests.inc({ status: '0' });
        if (refresh) metrics.tokenRefreshes.inc({ result: 'no_answer' });
        throw err;
      }
    },
  };
}

function isRefresh(body: unknown): boolean {
  if (body instanceof URLSearchParams) return body.get('grant_type') === 'refresh_token';
  if (typeof body === 'string') return body.includes('refresh_token');
  return !!body && typeof body === 'object' && (body as { grant_type?: unknown }).grant_type === 'refresh_token';
}
