import type { ProbeResult, ProviderContext } from '../provider.ts';
import { callArca } from './api-call.ts';
import type { ArcaCredentials } from './credentials.ts';
import { errorCodeOf } from './error-codes.ts';

/** An orderNumber dramlink never registers (ours start with `drl` and a time-ordered id). */
const PROBE_ORDER_NUMBER = 'drlprobe0connection0test';

/**
 * getOrderStatusExtended.do for an order that does not exist: it reads nothing and changes nothing.
 * The gateway checks userName and password first: errorCode 5 (access denied) means they are
 * refused; 6 (order not found) means they were accepted. Without a JSON answer the host (or the
 * test port) is wrong.
 */
export async function probeArca(ctx: ProviderContext<ArcaCredentials>): Promise<ProbeResult> {
  const answer = await callArca(ctx, 'getOrderStatusExtended', { orderNumber: PROBE_ORDER_NUMBER });
  const code = errorCodeOf(answer.body);
  // The gateway's own words go to no answer (only its numeric code does): the admin reads ours.
  const what = `errorCode ${code ?? '(none)'}`;
  if (!answer.body) {
    return {
      ok: false,
      code: 'credentials_rejected',
      message: `The gateway answered HTTP ${answer.httpStatus} without JSON: check baseUrl (host, test port, /payment/rest).`,
    };
  }
  if (code === '5') {
    return {
      ok: false,
      code: 'credentials_rejected',
      message: `The gateway refused the API user (${what}): check userName and password (new EPG users must change their password in the merchant portal first).`,
    };
  }
  return { ok: true, code: 'credentials_accepted', message: `The gateway answered (${what}) and accepted the API user.` };
}
