import axios, { type AxiosInstance } from 'axios';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';

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
  /**
   * When set, every address this request would connect to must pass, checked where the connection
   * is made (the resolved address, not the name): a host whose DNS answers a forbidden address
   * fails with ADDRESS_NOT_ALLOWED_CODE and nothing is sent. Such requests use connections of
   * their own, never one opened for an unchecked request.
   */
  allowAddress?: (address: string) => boolean;
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

/** Error code of a request whose host is, or resolves to, an address its allowAddress refuses: nothing was sent. */
export const ADDRESS_NOT_ALLOWED_CODE = 'ERR_ADDRESS_NOT_ALLOWED';

function addressNotAllowed(host: string): Error {
  return Object.assign(new Error(`${host} is, or resolves to, an address this call may not reach`), { code: ADDRESS_NOT_ALLOWED_CODE });
}

/**
 * A resolver that refuses the whole answer when any address in it is not allowed (DNS may answer
 * several; the connection may use any of them), so a name cannot smuggle in a private address.
 */
export function checkedLookup(resolve: LookupFunction, allow: (address: string) => boolean): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { ...options, all: true }, (err, answer) => {
      if (err) return callback(err);
      const addresses = (Array.isArray(answer) ? answer : [{ address: answer as unknown as string, family: 4 }]) as Array<{
        address: string;
        family: number;
      }>;
      if (addresses.length === 0 || addresses.some((a) => !allow(a.address))) return callback(addressNotAllowed(hostname));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

/** The host of a URL as an IP address when it is one (brackets dropped), else undefined. */
function literalAddress(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return isIP(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

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

export interface AxiosHttpClientOptions {
  defaultTimeoutMs?: number;
  connectTimeoutMs?: number;
  instance?: AxiosInstance;
  /** The resolver behind the allowAddress check (default dns.lookup); tests inject one instead of real DNS. */
  lookup?: LookupFunction;
}

export function createAxiosHttpClient(opts: AxiosHttpClientOptions = {}): HttpClient {
  const connectMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const resolve = opts.lookup ?? (dnsLookup as unknown as LookupFunction);
  // Checked requests get pools of their own: a socket opened without the check is never reused by one.
  const checkedAgents = {
    httpAgent: withConnectTimeout(new http.Agent({ keepAlive: true }), connectMs, 'connect'),
    httpsAgent: withConnectTimeout(new https.Agent({ keepAlive: true }), connectMs, 'secureConnect'),
  };
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
      const { data, headers } = encodeBody(req);
      const allow = req.allowAddress;
      const literal = allow ? literalAddress(req.url) : undefined;
      if (allow && literal !== undefined && !allow(literal)) {
        // An IP literal is never looked up, so the check happens here; nothing is sent.
        throw new HttpTransportError(
          `${req.method} ${redactUrl(req.url)} refused: the address may not be reached`,
          ADDRESS_NOT_ALLOWED_CODE,
          false,
        );
      }
      try {
        const res = await instance.request({
          method: req.method,
          url: req.url,
          headers,
          data,
          ...(allow ? { ...checkedAgents, lookup: checkedLookup(resolve, allow) as never, proxy: false as const } : {}),
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
        throw transportError(req, err);
      }
    },
  };
}

/** The body as axios sends it, and the content type it implies. */
function encodeBody(req: HttpRequest): { data: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (req.body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return { data: req.body.toString(), headers };
  }
  if (req.body !== undefined && typeof req.body !== 'string') {
    headers['content-type'] ??= 'application/json';
    return { data: JSON.stringify(req.body), headers };
  }
  return { data: req.body, headers };
}

/** Codes our own connection hooks raise: axios may wrap them, the cause keeps them. */
const OWN_CODES = [CONNECT_TIMEOUT_CODE, ADDRESS_NOT_ALLOWED_CODE];

function transportError(req: HttpRequest, err: unknown): HttpTransportError {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const own = OWN_CODES.find((c) => e.cause?.code === c || e.code === c);
  const code = own ?? e.code ?? 'ERR_NETWORK';
  // A connect timeout or a refused address sent nothing: not the ambiguous "timed out while waiting" case.
  const timedOut = own === undefined && (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? ''));
  return new HttpTransportError(`${req.method} ${redactUrl(req.url)} failed: ${e.message ?? code}`, code, timedOut);
}

/** Drops the query string: provider URLs may carry credentials there. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}
