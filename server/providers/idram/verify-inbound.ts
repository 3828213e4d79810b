import { safeEqual } from '../../crypto/hmac.ts';
import { readFormParams } from '../common/form-params.ts';
import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, InboundVerification, ProviderContext } from '../provider.ts';
import { isValidIdramChecksum, type IdramConfirmationFields } from './checksum.ts';
import type { IdramCredentials } from './credentials.ts';
import { CONFIRMATION_FIELDS, idramInboundKind, PRECHECK_FIELDS, requireFields } from './inbound-params.ts';

/**
 * A confirmation is always signed: MD5 over the fields exactly as received, compared in constant
 * time. A precheck is never signed but must still name this account's IdramID; a browser return
 * carries nothing to verify.
 */
export function verifyIdramInbound(ctx: ProviderContext<IdramCredentials>, req: InboundRequest): InboundVerification {
  const params = readFormParams(req);
  const kind = idramInboundKind(req, params);
  if (kind === 'return') return { authenticated: false };
  if (kind === 'precheck') {
    assertOurAccount(ctx, requireFields(params, PRECHECK_FIELDS, 'precheck').EDP_REC_ACCOUNT);
    return { authenticated: false };
  }
  const fields: IdramConfirmationFields = requireFields(params, CONFIRMATION_FIELDS, 'confirmation');
  assertOurAccount(ctx, fields.EDP_REC_ACCOUNT);
  const checksum = params.EDP_CHECKSUM;
  if (!checksum || !isValidIdramChecksum(fields, ctx.credentials.secretKey, checksum)) {
    throw new InboundRejectedError(
      'idram_bad_checksum',
      401,
      checksum
        ? 'EDP_CHECKSUM does not match: check that secretKey equals the SECRET_KEY Idram configured for this IdramID'
        : 'EDP_CHECKSUM is missing: an Idram payment confirmation is always signed',
    );
  }
  return { authenticated: true };
}

function assertOurAccount(ctx: ProviderContext<IdramCredentials>, recAccount: string): void {
  if (!safeEqual(recAccount, ctx.credentials.recAccount)) {
    throw new InboundRejectedError(
      'idram_wrong_account',
      401,
      `EDP_REC_ACCOUNT ${recAccount} is not this account's IdramID; check recAccount in the Idram settings`,
    );
  }
}
