import type { ProbeResult, ProviderContext } from '../provider.ts';
import { callAmeriabank } from './api-call.ts';
import type { AmeriabankCredentials } from './credentials.ts';
import { describeCode, field } from './fields.ts';

/** An OrderID no shop uses: asking for its PaymentID changes nothing at the bank. */
const PROBE_ORDER_ID = 1;

/**
 * GetPaymentId for an OrderID nobody uses: it creates nothing and takes ClientID, Username and
 * Password, so a wrong one is refused with ResponseCode 20 (the code InitPayment documents for bad
 * credentials; GetPaymentDetails is no use here: it answers 550 to a wrong password and to an
 * unknown payment alike). Any other answer in the bank's JSON shape means host and credentials work.
 */
export async function probeAmeriabank(ctx: ProviderContext<AmeriabankCredentials>): Promise<ProbeResult> {
  const { credentials } = ctx;
  const answer = await callAmeriabank(ctx, 'GetPaymentId', {
    ClientID: credentials.clientId,
    Username: credentials.username,
    Password: credentials.password,
    OrderID: PROBE_ORDER_ID,
  });
  if (!answer.body) {
    return {
      ok: false,
      code: 'credentials_rejected',
      message: `Ameriabank answered HTTP ${answer.httpStatus} without its JSON: check the host (test or live) and the ClientID.`,
    };
  }
  if (field(answer.body, 'ResponseCode') === '20') {
    return {
      ok: false,
      code: 'credentials_rejected',
      message: `Ameriabank refused the credentials (${describeCode(answer.body)}): check username, password and ClientID (test and live differ).`,
    };
  }
  return {
    ok: true,
    code: 'credentials_accepted',
    message: `Ameriabank answered (${describeCode(answer.body)}) and accepted the credentials.`,
  };
}
