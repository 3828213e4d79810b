import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, InboundVerification, ProviderContext } from '../provider.ts';
import { CALLBACK_CHECKSUM_FIELDS, isValidCallbackChecksum } from './checksum.ts';
import { callbackChecksumOf, type TelcellCredentials } from './credentials.ts';
import { assertCallbackFields, hasAll, isTelcellCallback, otherFormula, readTelcellParams } from './inbound-params.ts';

/**
 * A RESULT_URL callback is always signed: MD5 with the shop key over the fields as received, in the
 * formula configured as callbackChecksum, compared in constant time. A browser return carries
 * nothing to verify.
 */
export function verifyTelcellInbound(ctx: ProviderContext<TelcellCredentials>, req: InboundRequest): InboundVerification {
  const params = readTelcellParams(req);
  if (!isTelcellCallback(params)) return { authenticated: false };
  const formula = callbackChecksumOf(ctx.credentials);
  assertCallbackFields(params, formula);
  const { shopKey } = ctx.credentials;
  if (!params.checksum?.trim()) {
    throw new InboundRejectedError('telcell_bad_checksum', 401, 'checksum is missing: a Telcell RESULT_URL callback is always signed');
  }
  if (!isValidCallbackChecksum(formula, shopKey, params, params.checksum)) {
    const other = otherFormula(formula);
    const otherMatches =
      hasAll(params, CALLBACK_CHECKSUM_FIELDS[other]) && isValidCallbackChecksum(other, shopKey, params, params.checksum);
    throw new InboundRejectedError(
      'telcell_bad_checksum',
      401,
      otherMatches
        ? `checksum matches Telcell's '${other}' formula, not the configured '${formula}': set callbackChecksum to '${other}' in the Telcell settings`
        : `checksum does not match the '${formula}' formula: check shopKey, and callbackChecksum ('invoice' or 'invoice_buyer')`,
    );
  }
  return { authenticated: true };
}
