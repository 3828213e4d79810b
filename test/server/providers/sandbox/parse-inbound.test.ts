import { expect } from 'chai';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import { sandboxProvider, signStandardWebhook, type SandboxCredentials } from '../../../../server/providers/sandbox/index.ts';
import { NOW, NOW_SEC, SECRET, sandboxCtx, signedPost, succeededBody } from './fixtures.ts';

function rejection(req: InboundRequest, ctx: ProviderContext<SandboxCredentials> = sandboxCtx()): InboundRejectedError {
  try {
    sandboxProvider.parseInbound(ctx, req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('parseInbound should have rejected the request');
}

describe('sandbox parseInbound', () => {
  it('verifies a signed payment.succeeded and reports a paid fact keyed by webhook-id', () => {
    const parsed = sandboxProvider.parseInbound(sandboxCtx(), signedPost(succeededBody()));
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
    expect(sandboxProvider.parseInbound(sandboxCtx(), signedPost(body)).fact?.status).to.equal('failed');
  });

  it('keeps a refunded payment paid and reports the cumulative refunded total', () => {
    const body = JSON.stringify({
      type: 'payment.refunded',
      data: { sessionId: 'ses_abc', orderNo: 'sbx-4', amountMinor: 250000, currency: 'AMD', refundedMinor: 100000 },
    });
    expect(sandboxProvider.parseInbound(sandboxCtx(), signedPost(body)).fact).to.include({ status: 'paid', refundedTotalMinor: 100000 });
  });

  it('rejects a signature made with another secret (401)', () => {
    const err = rejection(signedPost(succeededBody(), { secret: 'whsec_AAECAwQFBgcICQoLDA0ODw==' }));
    expect([err.status, err.code]).to.deep.equal([401, 'sandbox_bad_signature']);
  });

  it('verifies the raw bytes: a body parsed and re-serialized (whitespace changed) fails', () => {
    const original =
      '{"type": "payment.succeeded", "data": {"sessionId": "ses_abc", "orderNo": "sbx-4", "amountMinor": 250000, "currency": "AMD"}}';
    const req = signedPost(original);
    expect(sandboxProvider.parseInbound(sandboxCtx(), req).authenticated).to.equal(true);
    const reserialized = { ...req, rawBody: Buffer.from(JSON.stringify(JSON.parse(original)), 'utf8') };
    expect(rejection(reserialized).code).to.equal('sandbox_bad_signature');
  });

  it('rejects a tampered amount even when the rest is intact', () => {
    const req = signedPost(succeededBody());
    const tampered = { ...req, rawBody: Buffer.from(succeededBody({ amountMinor: 1 }), 'utf8') };
    expect(rejection(tampered).status).to.equal(401);
  });

  it('passes when one of several space-separated signatures matches (secret rotation), ignoring other versions', () => {
    const body = succeededBody();
    const good = signStandardWebhook(SECRET, 'msg_2dQk1', NOW_SEC, body);
    const other = signStandardWebhook('whsec_AAECAwQFBgcICQoLDA0ODw==', 'msg_2dQk1', NOW_SEC, body);
    const header = `${other} v1a,${good.slice(3)} ${good}`;
    expect(sandboxProvider.parseInbound(sandboxCtx(), signedPost(body, { signature: header })).authenticated).to.equal(true);
    // The same good value under a version we do not know does not count.
    expect(rejection(signedPost(body, { signature: `${other} v2,${good.slice(3)}` })).code).to.equal('sandbox_bad_signature');
  });

  it('rejects a stale timestamp (301 s old) with 401 sandbox_stale_timestamp, even when correctly signed', () => {
    const err = rejection(signedPost(succeededBody(), { timestampSec: NOW_SEC - 301 }));
    expect([err.status, err.code]).to.deep.equal([401, 'sandbox_stale_timestamp']);
  });

  it('rejects a timestamp from the future (301 s ahead) the same way', () => {
    const err = rejection(signedPost(succeededBody(), { timestampSec: NOW_SEC + 301 }));
    expect([err.status, err.code]).to.deep.equal([401, 'sandbox_stale_timestamp']);
  });

  it('accepts a timestamp exactly 300 s off (the tolerance is inclusive)', () => {
    expect(sandboxProvider.parseInbound(sandboxCtx(), signedPost(succeededBody(), { timestampSec: NOW_SEC - 300 })).authenticated).to.equal(
      true,
    );
  });

  it('rejects a non-numeric timestamp with 400', () => {
    const req = signedPost(succeededBody());
    req.headers['webhook-timestamp'] = '2026-01-15T10:00:00Z';
    expect(rejection(req).code).to.equal('sandbox_bad_timestamp');
  });

  for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    it(`rejects a notification without ${header} with 400 naming it`, () => {
      const req = signedPost(succeededBody());
      delete req.headers[header];
      const err = rejection(req);
      expect([err.status, err.code]).to.deep.equal([400, 'sandbox_missing_headers']);
      expect(err.message).to.contain(header);
    });
  }

  it('finds the headers whatever their case', () => {
    const req = signedPost(succeededBody());
    req.headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(sandboxProvider.parseInbound(sandboxCtx(), req).authenticated).to.equal(true);
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
    expect(sandboxProvider.parseInbound(sandboxCtx(), req)).to.deep.equal({
      kind: 'return',
      authenticated: false,
      dedupeKey: 'sandbox:return:ses_abc:9',
      ref: { providerPaymentId: 'ses_abc' },
    });
    expect(sandboxProvider.parseInbound(sandboxCtx(), { ...req, query: {} }).ref).to.deep.equal({});
  });

  it('works with a plain (non-whsec_) secret as UTF-8 key bytes', () => {
    const ctx = sandboxCtx({ credentials: { webhookSecret: 'local-dev-secret' } });
    expect(sandboxProvider.parseInbound(ctx, signedPost(succeededBody(), { secret: 'local-dev-secret' })).authenticated).to.equal(true);
  });
});
