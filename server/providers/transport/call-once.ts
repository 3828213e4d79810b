import {
  ADDRESS_NOT_ALLOWED_CODE,
  HttpTransportError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '../../platform/http-client.ts';
import { isPublicAddress } from '../../platform/public-address.ts';
import { ProviderError, ProviderTimeoutError, ProviderUnreachableError } from '../errors.ts';
import type { ProviderName } from '../provider.ts';
import { neverSentHint } from './never-sent.ts';
import { createOutboundPolicy, judgeProviderUrl, type OutboundPolicy } from './outbound-policy.ts';

export interface CallLabels {
  provider: ProviderName;
  /** What messages call the other side, e.g. "Ameriabank" or "the payment gateway". */
  peer: string;
  /** The operation, e.g. "InitPayment" or "register.do". */
  operation: string;
  /** Where the host comes from, for the unreachable message. Default: the provider's baseUrl setting. */
  hostSetting?: string;
}

export type OnceRequest = Omit<HttpRequest, 'method' | 'allowAddress'>;

/** What a call needs from the provider context: the HTTP seam and where it may go. */
export interface CallContext {
  http: HttpClient;
  /** Default: the providers' official hosts only, plus PUBLIC_URL's for the sandbox. */
  outbound?: OutboundPolicy;
  publicUrl?: string;
}

/**
 * One POST to a provider over the injected HttpClient, never retried: money-moving calls have no
 * idempotency key, and a repeated order number is refused or overwrites the first. A failure that
 * proves nothing was sent is ProviderUnreachableError (`<provider>_unreachable`); any other
 * network failure (read timeout, reset) leaves the outcome unknown: ProviderTimeoutError.
 */
export function postOnce(ctx: CallContext, req: OnceRequest, labels: CallLabels): Promise<HttpResponse> {
  return sendOnce(ctx, { ...req, method: 'POST' }, labels);
}

/** A GET (status reads) with the same error classification; reads may be asked again later by the caller. */
export function getOnce(ctx: CallContext, req: OnceRequest, labels: CallLabels): Promise<HttpResponse> {
  return sendOnce(ctx, { ...req, method: 'GET' }, labels);
}

/**
 * The outbound policy first (outbound-policy.ts): a URL it refuses is never called, and a host it
 * does not trust may only connect to public addresses, checked by the HTTP seam at connect time.
 */
function allowedRequest(ctx: CallContext, req: HttpRequest, labels: CallLabels): HttpRequest {
  const policy = ctx.outbound ?? createOutboundPolicy({ allowedHosts: [], publicUrl: ctx.publicUrl ?? '' });
  const verdict = judgeProviderUrl(policy, labels.provider, req.url, { baseUrl: false });
  if (!verdict.allowed) throw hostNotAllowed(labels, `its URL ${verdict.reason}`);
  return verdict.trusted ? req : { ...req, allowAddress: isPublicAddress };
}

function hostNotAllowed(labels: CallLabels, why: string): ProviderError {
  return new ProviderError(
    labels.provider,
    `${labels.provider}_host_not_allowed`,
    `${labels.operation} was not sent: ${why}. Fix ${labels.hostSetting ?? 'baseUrl in the provider settings'}.`,
  );
}

async function sendOnce(ctx: CallContext, request: HttpRequest, labels: CallLabels): Promise<HttpResponse> {
  const req = allowedRequest(ctx, request, labels);
  try {
    return await ctx.http.request(req);
  } catch (err) {
    if (!(err instanceof HttpTransportError)) throw err;
    if (err.code === ADDRESS_NOT_ALLOWED_CODE) {
      throw hostNotAllowed(
        labels,
        'its host resolves to a loopback, private, link-local or metadata address, which only a host listed in PROVIDER_ALLOWED_HOSTS may',
      );
    }
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
