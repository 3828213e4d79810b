import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, InboundVerification, ProviderContext } from '../provider.ts';
import { verifyArcaChecksum } from './checksum.ts';
import type { ArcaCredentials } from './credentials.ts';
import { paramIgnoringCase, readArcaParams } from './inbound-params.ts';

/**
 * Only a gateway callback (it has `operation`) can be signed, and only when the bank enabled
 * checksums and checksumKey is set: then an unsigned or mismatching callback is a forgery, not a
 * degraded one. A browser return, or a callback while no key is set, passes unauthenticated and
 * only names the order to query.
 */
export function verifyArcaInbound(ctx: ProviderContext<ArcaCredentials>, req: InboundRequest): InboundVerification {
  const params = readArcaParams(req);
  const key = ctx.credentials.checksumKey;
  if (params.operation === undefined || !key) return { authenticated: false };
  const received = paramIgnoringCase(params, 'checksum');
  if (!received || !verifyArcaChecksum(params, received, key)) {
    throw new InboundRejectedError(
      'arca_bad_checksum',
      401,
      received
        ? 'callback checksum does not match: wrong checksumKey, or a proxy added parameters to the callback URL'
        : 'callback without checksum while a checksumKey is configured',
    );
  }
  return { authenticated: true };
}
