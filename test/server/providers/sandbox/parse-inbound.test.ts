import { expect } from 'chai';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import type { SandboxCredentials } from '../../../../server/providers/sandbox/credentials.ts';
import { sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
import { NOW, sandboxCtx, signedPost, succeededBody } from './fixtures.ts';
import { readInbound } from '../../../../server/webhooks/read-inbound.ts';

function rejection(req: InboundRequest, ctx: ProviderContext<SandboxCredentials> = sandboxCtx()): InboundRejectedError {
  try {
    readInbound(sandboxProvider, ctx, req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('the request should have been rejected');
}

describe('sandbox parseInbound', () => {
  it('verifies a signed payment.succeeded and reports a paid fact keyed by webhook-id', () => {
    const parsed = readInbound(sandboxProvider, sandboxCtx(), signedPost(succeededBody()));
    expect(parsed).to.deep.equal({
      kind: 'notification',
      authenticated: true,
      dedupeKey: 'sandbox:msg_2dQk1',
      ref: { providerOrderNo: 'sbx-4', providerPaymentId: 'ses_abc' },
      fact: {
        status: 'paid',
        amountMinor: 250000,
        currency: 'AMD',
        providerPaymentId: 'ses_abc',
        providerOrderNo: 'sbx-4',
        rawStatus: 'payment.succeeded',
        occurredAt: NOW,
      },
    });
  });

  it('maps payment.failed to failed', () => {
    const body = JSON.stringify({
      type: 'payment.failed',
      data: { sessionId: 'ses_abc', orderNo: 'sbx-4', amountMinor: 250000, currency: 'AMD' },
    });
    expect(readInbound(sandboxProvider, sandboxCtx(), signedPost(body)).fact?.status).to.equal('failed');
  });

  it('keeps a refunded payment paid and reports the cumulative refunded total', () => {
    const body = JSON.stringify({
      type: 'payment.refunded',
      data: { sessionId: 'ses_abc', orderNo: 'sbx-4', amountMinor: 250000, currency: 'AMD', refundedMinor: 100000 },
    });
    expect(readInbound(sandboxProvider, sandboxCtx(), signedPost(body)).fact).to.include({ status: 'paid', refundedTotalMinor: 100000 });
  });

  it('rejects a correctly signed body with an unknown type (400)', () => {
    const body = JSON.stringify({
      type: 'payment.disputed',
      data: { sessionId: 'ses_abc', orderNo: 'sbx-4', amountMinor: 250000, currency: 'AMD' },
    });
    const err = rejection(signedPost(body));
    expect([err.status, err.code]).to.deep.equal([400, 'sandbox_bad_body']);
  });

  it('rejects a correctly signed body with an extra field, at the top or in data (400)', () => {
    const top = JSON.stringify({ ...JSON.parse(succeededBody()), livemode: false });
    expect(rejection(signedPost(top)).status).to.equal(400);
    expect(rejection(signedPost(succeededBody({ paidBy: 'me' }))).status).to.equal(400);
  });

  it('rejects payment.refunded without refundedMinor, a fractional amount, an unknown currency, or non-JSON (400)', () => {
    const refundedNoTotal = JSON.stringify({
      type: 'payment.refunded',
      data: { sessionId: 's', orderNo: 'o', amountMinor: 10, currency: 'AMD' },
    });
    for (const body of [refundedNoTotal, succeededBody({ amountMinor: 10.5 }), succeededBody({ currency: 'GBP' }), 'not json']) {
      expect(rejection(signedPost(body)).status, body).to.equal(400);
    }
  });

  it('treats a browser GET (?session= or nothing) as an unauthenticated return', () => {
    const req: InboundRequest = { method: 'GET', query: { session: 'ses_abc' }, headers: {}, rawBody: Buffer.alloc(0), receivedAt: 9 };
    expect(readInbound(sandboxProvider, sandboxCtx(), req)).to.deep.equal({
      kind: 'return',
      authenticated: false,
      dedupeKey: 'sandbox:return:ses_abc',
      ref: { providerPaymentId: 'ses_abc' },
    });
    expect(readInbound(sandboxProvider, sandboxCtx(), { ...req, query: {} }).ref).to.deep.equal({});
  });
});
