import { HttpTransportError, type HttpClient, type HttpRequest, type HttpResponse } from '../../platform/http-client.ts';
import { ProviderTimeoutError, ProviderUnreachableError } from '../errors.ts';
import type { ProviderName } from '../provider.ts';
import { neverSentHint } from './never-sent.ts';

export interface CallLabels {
  provider: ProviderName;
  /** What messages call the other side, e.g. "Ameriabank" or "the payment gateway". */
  peer: string;
  /** The operation, e.g. "InitPayment" or "register.do". */
  operation: string;
  /** Where the host comes from, for the unreachable message. Default: the provider's baseUrl setting. */
  hostSetting?: string;
}

export type OnceRequest = Omit<HttpRequest, 'method'>;

/**
 * One POST to a provider over the injected HttpClient, never retried: money-moving calls have no
 * idempotency key, and a repeated order number is refused or overwrites the first. A failure that
 * proves nothing was sent is ProviderUnreachableError (`<provider>_unreachable`); any other
 * network failure (read timeout, reset) leaves the outcome unknown: ProviderTimeoutError.
 */
export function postOnce(ctx: { http: HttpClient }, req: OnceRequest, labels: CallLabels): Promise<HttpResponse> {
  return sendOnce(ctx.http, { ...req, method: 'POST' }, labels);
}

/** A GET (status reads) with the same error classification; reads may be asked again later by the caller. */
export function getOnce(ctx: { http: HttpClient }, req: OnceRequest, labels: CallLabels): Promise<HttpResponse> {
  return sendOnce(ctx.http, { ...req, method: 'GET' }, labels);
}

async function sendOnce(http: HttpClient, req: HttpRequest, labels: CallLabels): Promise<HttpResponse> {
  try {
    return await http.request(req);
  } catch (err) {
    if (!(err instanceof HttpTransportError)) throw err;
    const hint = neverSentHint(err);
    const where = `${labels.peer} (${hostOf(req.url)})`;
    if (hint) {
      throw new ProviderUnreachableError(
        labels.provider,
        err.code,
        `could not reach ${where} for ${labels.operation} (${err.code}); nothing was sent. ${capitalize(hint)}. The host comes from ${labels.hostSetting ?? 'baseUrl in the provider settings, or the provider default'}.`,
      );
    }
    throw new ProviderTimeoutError(
      labels.provider,
      `no answer from ${where} to ${labels.operation} (${err.code}); the outcome is unknown: check the payment status before trying again.`,
    );
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
