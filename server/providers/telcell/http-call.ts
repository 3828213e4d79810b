import type { HttpClient, HttpRequest, HttpResponse } from '../../platform/http-client.ts';
import { HttpTransportError } from '../../platform/http-client.ts';
import { ProviderError, ProviderTimeoutError } from '../errors.ts';

/** Errors that prove the request never reached Telcell; anything else may have been processed. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

/**
 * One request to Telcell, network failures turned into provider errors: a timeout or a connection
 * lost mid-request is ProviderTimeoutError (outcome unknown), a refused connection ProviderError.
 */
export async function telcellRequest(http: HttpClient, req: HttpRequest): Promise<HttpResponse> {
  try {
    return await http.request(req);
  } catch (err) {
    if (!(err instanceof HttpTransportError)) throw err;
    if (err.timedOut || !NOT_SENT.has(err.code)) throw new ProviderTimeoutError('telcell', `no answer from Telcell: ${err.message}`);
    throw new ProviderError('telcell', 'provider_unreachable', `cannot reach Telcell (${err.code}); check baseUrl and the network`);
  }
}
