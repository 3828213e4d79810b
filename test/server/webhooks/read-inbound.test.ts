import { expect } from 'chai';
import { InboundRejectedError } from '../../../server/providers/errors.ts';
import { idramProvider } from '../../../server/providers/idram/index.ts';
import type { InboundRequest, PaymentProvider, ProviderContext } from '../../../server/providers/provider.ts';
import { readInbound } from '../../../server/webhooks/read-inbound.ts';

const req: InboundRequest = { method: 'POST', query: {}, headers: {}, rawBody: Buffer.from('x'), receivedAt: 0 };
const ctx = {} as ProviderContext<any>;

/** A provider whose verification and parsing we script, recording the order they ran in. */
function scripted(verify: () => { authenticated: boolean }, calls: string[]): PaymentProvider<any> {
  return {
    ...idramProvider,
    verifyInbound: () => {
      calls.push('verify');
      return verify();
    },
    parseInbound: () => {
      calls.push('parse');
      return { kind: 'notification', dedupeKey: 'k', ref: {}, fact: { status: 'paid', rawStatus: 'paid' } };
    },
  };
}

describe('readInbound: verification first, parsing second', () => {
  it('never parses a request whose verification failed', () => {
    const calls: string[] = [];
    const provider = scripted(() => {
      throw new InboundRejectedError('x_bad_signature', 401, 'forged');
    }, calls);
    expect(() => readInbound(provider, ctx, req)).to.throw(InboundRejectedError);
    expect(calls).to.deep.equal(['verify']);
  });

  it('takes "authenticated" from the verification only, whatever the parser returns', () => {
    const calls: string[] = [];
    const parsed = readInbound(
      scripted(() => ({ authenticated: false }), calls),
      ctx,
      req,
    );
    expect(calls).to.deep.equal(['verify', 'parse']);
    expect(parsed.authenticated).to.equal(false);
    expect(
      readInbound(
        scripted(() => ({ authenticated: true }), []),
        ctx,
        req,
      ).authenticated,
    ).to.equal(true);
  });
});
