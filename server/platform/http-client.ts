import axios, { type AxiosInstance } from 'axios';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/**
 * The outbound HTTP seam. Every call to amoCRM or a provider goes through this interface so tests
 * replace the transport with nock and the composition point decides timeouts and agents.
 * Responses are returned for every status (no throwing on 4xx/5xx): callers classify them.
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A string body is sent as is; an object is JSON-encoded; URLSearchParams form-encoded. */
  body?: string | URLSearchParams | Record<string, unknown> | unknown[];
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw body text; parse with the provider's own rules (some answer HTML or empty bodies). */
  text: string;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/** Network failure with no HTTP answer (refused, reset, DNS, timeout). */
export class HttpTransportError extends Error {
  readonly code: string;
  readonly timedOut: boolean;
  constructor(message: string, code: string, timedOut: boolean) {
    super(message);
    this.name = 'HttpTransportError';
    this.code = code;
    this.timedOut = timedOut;
  }
}

/** A connection not established in this time fails fast (nothing was sent), well before the read timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Error code of a connect timeout: the request never left, so it is safe to call again. */
export const CONNECT_TIMEOUT_CODE = 'ECONNTIMEOUT';

type Connectable = { createConnection(options: unknown, cb?: unknown): Socket };

/**
 * Adds a connect timeout to an agent: Node has only an idle-socket timeout, so a host that never
 * answers the SYN would otherwise hold a call for the whole read timeout.
 */
function withConnectTimeout<A extends http.Agent>(agent: A, ms: number, connectedEvent: 'connect' | 'secureConnect'): A {
  const original = (agent as unknown as Connectable).createConnection.bind(agent);
  (agent as unknown as Connectable).createConnection = (options: unknown, cb?: unknown) => {
    const socket = original(options, cb);
    if (!socket || (socket as { connecting?: boolean }).connecting === false) return socket;
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error(`connect timeout after ${ms} ms`), { code: CONNECT_TIMEOUT_CODE })),
      ms,
    );
    timer.unref();
    socket.once(connectedEvent, () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
  return agent;
}

export function createAxiosHttpClient(
  opts: { defaultTimeoutMs?: number; connectTimeoutMs?: number; instance?: AxiosInstance } = {},
): HttpClient {
  const connectMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const instance =
    opts.instance ??
    axios.create({
      httpAgent: withConnectTimeout(new http.Agent({ keepAlive: true }), connectMs, 'connect'),
      httpsAgent: withConnectTimeout(new https.Agent({ keepAlive: true }), connectMs, 'secureConnect'),
      maxRedirects: 0,
      // We classify statuses ourselves.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data) => data],
    });
  const defaultTimeoutMs = opts.defaultTimeoutMs ?? 20_000;
  return {
    async request(req) {
      let data: unknown = req.body;
      const headers: Record<string, string> = { ...(req.headers ?? {}) };
      if (req.body instanceof URLSearchParams) {
        data = req.body.toString();
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
      } else if (req.body !== undefined && typeof req.body !== 'string') {
        data = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
      try {
        const res = await instance.request({
          method: req.method,
          url: req.url,
          headers,
          data,
          timeout: req.timeoutMs ?? defaultTimeoutMs,
          validateStatus: () => true,
          responseType: 'text',
          transformResponse: [(d) => d],
        });
        const outHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers ?? {})) {
          if (v !== undefined && v !== null) outHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        }
        const text = typeof res.data === 'string' ? res.data : res.data == null ? '' : String(res.data);
        return { status: res.status, headers: outHeaders, text };
      } catch (err) {
        const e = err as { code?: string; message?: string };
        const code =
          (e as { cause?: { code?: string } }).cause?.code === CONNECT_TIMEOUT_CODE ? CONNECT_TIMEOUT_CODE : (e.code ?? 'ERR_NETWORK');
        // A connect timeout sent nothing: it is not the ambiguous "timed out while waiting" case.
        const timedOut =
          code !== CONNECT_TIMEOUT_CODE && (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? ''));
        throw new HttpTransportError(`${req.method} ${redactUrl(req.url)} failed: ${e.message ?? code}`, code, timedOut);
      }
    },
  };
}

/** Drops the query string: provider URLs may carry credentials there. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}
