import type { InboundRequest, ParsedInbound, PaymentProvider, ProviderContext } from '../providers/provider.ts';

/**
 * The one order every inbound request goes through: the provider verifies authenticity over the raw
 * request first (a forgery throws InboundRejectedError and is never parsed), then reads what it
 * says. Whether it is authenticated comes from the verification alone, never from the parser.
 */
export function readInbound(provider: PaymentProvider<any>, ctx: ProviderContext<any>, req: InboundRequest): ParsedInbound {
  const verification = provider.verifyInbound(ctx, req);
  const reading = provider.parseInbound(ctx, req, verification);
  return { ...reading, authenticated: verification.authenticated };
}
