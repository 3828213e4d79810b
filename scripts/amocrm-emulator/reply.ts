import type { ItemErrors } from './validation.ts';

/**
 * What a route answers, as data. Routes compute a Reply instead of writing to `res`, so one place
 * (send.ts) can swap it for an injected fault after the write already happened (applyThenFail).
 */
export interface Reply {
  status: number;
  /** JSON body; absent = empty body. */
  json?: unknown;
  /** Raw body (HTML pages); wins over json. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

const HAL = 'application/hal+json';
const PROBLEM = 'application/problem+json';

export const ok = (json: unknown, status = 200): Reply => ({ status, json, contentType: HAL });

/** amoCRM answers an empty list with 204 and no body. */
export const noContent = (): Reply => ({ status: 204 });

export const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
};

/** amoCRM's error shape: application/problem+json with title, type, status, detail. */
export function problem(status: number, detail?: string, extra: Record<string, unknown> = {}): Reply {
  return {
    status,
    contentType: PROBLEM,
    json: {
      ...extra,
      title: REASONS[status] ?? 'Error',
      type: `https://httpstatus.es/${status}`,
      status,
      ...(detail !== undefined ? { detail } : {}),
    },
  };
}

/** The documented 400 for a batch: every bad item, by request_id. */
export function validationFailed(items: ItemErrors[]): Reply {
  return problem(400, 'Request validation failed', { 'validation-errors': items });
}

export const unauthorized = (): Reply => problem(401, 'Unauthorized');

/** amoCRM's 429/403/5xx come from nginx as HTML, not JSON (seen from the real API: the limits page,
 * https://developers.kommo.com/docs/limitations, shows no JSON body for them). */
export function htmlPage(status: number): Reply {
  const title = `${status} ${REASONS[status] ?? 'Error'}`;
  return {
    status,
    contentType: 'text/html',
    text: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  };
}

/** OAuth errors carry a `hint`; the server tells revoked grants apart by it. */
export function oauthError(status: 400 | 401, hint: string, detail: string): Reply {
  return {
    status,
    contentType: PROBLEM,
    json: {
      hint,
      title: REASONS[status],
      type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
      status,
      detail,
    },
  };
}
