import type { InboundVerification } from '../provider.ts';

/**
 * Ameriabank signs nothing and sends no server notification: the only inbound request is the
 * customer's browser coming back to BackURL, which can never be authenticated. It only names the
 * attempt to verify with GetPaymentDetails.
 */
export function verifyAmeriabankInbound(): InboundVerification {
  return { authenticated: false };
}
