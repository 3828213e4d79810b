import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isAppError } from '../../errors/app-error.ts';
import type { Logger } from '../../logging/logger.ts';

export function sendError(res: Parameters<RequestHandler>[1], status: number, code: string, message: string, details?: unknown): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

export function notFound(): RequestHandler {
  return (req, res) => sendError(res, 404, 'route_not_found', `No route ${req.method} ${req.path}. See openapi.yaml for the API.`);
}

/**
 * The contract's error envelope for everything: typed AppErrors keep their status and code;
 * body-parser problems become 400/413/415; anything else is a 500 without internals (logged with the request id).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (isAppError(err)) {
      if (err.status >= 500) logger.error('request failed', { requestId: res.locals.requestId, code: err.code, error: err });
      return sendError(res, err.status, err.code, err.message, err.details);
    }
    const e = err as { type?: string; status?: number; statusCode?: number; limit?: number };
    if (e.type === 'entity.too.large') {
      return sendError(res, 413, 'body_too_large', `The request body is larger than the ${e.limit ?? 'allowed'} byte limit.`);
    }
    if (e.type === 'entity.parse.failed') {
      return sendError(res, 400, 'malformed_json', 'The request body is not valid JSON.');
    }
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      return sendError(res, 415, 'unsupported_encoding', 'Send the body as UTF-8.');
    }
    const status = e.status ?? e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'bad_request', 'The request could not be read.');
    }
    logger.error('unhandled error', { requestId: res.locals.requestId, method: req.method, path: req.path, error: err });
    return sendError(res, 500, 'internal_error', `Something went wrong on our side. Quote request id ${res.locals.requestId} to support.`);
  };
}
