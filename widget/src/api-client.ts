import type { CreatePaymentBody, LeadPaymentsResponse, PaymentView, RefundBody, ResendBody } from '../../shared/api.ts';
import type { AjaxOptions, AjaxResult, WidgetHost } from './amo-host.ts';

/** Every failure the panel can show: the server's error envelope, or a local code (network, bad_response). */
export interface ApiError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

/** What the lead-card panel calls (the settings view has its own: settings/settings-api.ts). */
export interface Api {
  /** `lang`: the user's amoCRM language, for the texts the server renders (exceptions). */
  leadPayments(leadId: number, lang?: string): Promise<LeadPaymentsResponse>;
  createPayment(leadId: number, body: CreatePaymentBody): Promise<PaymentView>;
  resend(paymentId: string, body: ResendBody): Promise<PaymentView>;
  refresh(paymentId: string): Promise<PaymentView>;
  cancel(paymentId: string): Promise<PaymentView>;
  refund(paymentId: string, body: RefundBody): Promise<PaymentView>;
  /** A held (two-stage) payment: take the money, or release the hold. Admins only. */
  capture(paymentId: string): Promise<PaymentView>;
  void(paymentId: string): Promise<PaymentView>;
  /** amoCRM starts the account's Salesbot for the lead; the answer's history records the send. */
  send(paymentId: string): Promise<PaymentView>;
}

export type Method = 'GET' | 'POST' | 'PUT';
export type Call = (type: Method, path: string, body?: object) => Promise<unknown>;

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const badResponse = (): ApiError => ({ status: 200, code: 'bad_response', message: '' });

/**
 * All server calls go through amoCRM's `$authorizedAjax`, which adds the disposable X-Auth-Token
 * the server authenticates us with; the account is never sent by the widget. Responses get tiny
 * hand checks instead of the zod schemas, which would triple the bundle.
 */
export function createCaller(host: Pick<WidgetHost, '$authorizedAjax'>, baseUrl: string): Call {
  return (type, path, body) =>
    new Promise((resolve, reject) => {
      const fail = (x: unknown) => reject(toApiError(x));
      let result: AjaxResult;
      const opts: AjaxOptions = { url: baseUrl + path, type, contentType: 'application/json', dataType: 'json' };
      // GET carries no body: jQuery would otherwise append it to the query string.
      if (body !== undefined) opts.data = JSON.stringify(body);
      try {
        result = host.$authorizedAjax(opts);
      } catch (e) {
        fail(e);
        return;
      }
      if (result && typeof result.done === 'function' && typeof result.fail === 'function') {
        result.done(resolve);
        result.fail(fail);
      } else if (result && typeof result.then === 'function') {
        result.then(resolve, fail);
      } else {
        reject(badResponse());
      }
    });
}

export function createApi(host: Pick<WidgetHost, '$authorizedAjax'>, baseUrl: string): Api {
  const call = createCaller(host, baseUrl);
  const payment = async (p: Promise<unknown>): Promise<PaymentView> => {
    const data = await p;
    if (isObject(data) && isPayment(data.payment)) return data.payment;
    throw badResponse();
  };
  const act = (id: string, what: string, body: object = {}) =>
    payment(call('POST', `/api/v1/payments/${encodeURIComponent(id)}/${what}`, body));

  return {
    async leadPayments(leadId, lang) {
      const data = await call('GET', `/api/v1/leads/${leadId}/payments${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`);
      if (isObject(data) && Array.isArray(data.payments) && data.payments.every(isPayment)) {
        return data as unknown as LeadPaymentsResponse;
      }
      throw badResponse();
    },
    createPayment: (leadId, body) => payment(call('POST', `/api/v1/leads/${leadId}/payments`, body)),
    resend: (id, body) => act(id, 'resend', body),
    refresh: (id) => act(id, 'refresh'),
    cancel: (id) => act(id, 'cancel'),
    refund: (id, body) => act(id, 'refunds', body),
    capture: (id) => act(id, 'capture'),
    void: (id) => act(id, 'void'),
    send: (id) => act(id, 'send', { via: 'salesbot' }),
  };
}

function isPayment(x: unknown): x is PaymentView {
  return (
    isObject(x) &&
    typeof x.id === 'string' &&
    typeof x.amountMinor === 'number' &&
    typeof x.currency === 'string' &&
    Array.isArray(x.attempts) &&
    Array.isArray(x.history)
  );
}

/** Normalizes a jqXHR (or a playground's rejection) into the error envelope's code, message and details. */
export function toApiError(x: unknown): ApiError {
  if (isObject(x) && typeof x.code === 'string' && typeof x.status === 'number' && typeof x.message === 'string') {
    return x as unknown as ApiError;
  }
  if (isObject(x) && typeof x.status === 'number') {
    const status = x.status;
    let body: unknown = x.responseJSON;
    if (body === undefined && typeof x.responseText === 'string') {
      try {
        body = JSON.parse(x.responseText);
      } catch {
        body = undefined;
      }
    }
    const env = isObject(body) && isObject(body.error) ? body.error : undefined;
    if (env && typeof env.code === 'string') {
      return { status, code: env.code, message: typeof env.message === 'string' ? env.message : '', details: env.details };
    }
    // jQuery reports an unparsable 2xx body as a failure with the 2xx status.
    if (status >= 200 && status < 300) return { status, code: 'bad_response', message: '' };
    return { status, code: status === 0 ? 'network' : `http_${status}`, message: '' };
  }
  return { status: 0, code: 'network', message: x instanceof Error ? x.message : '' };
}
