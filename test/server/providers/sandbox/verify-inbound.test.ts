import { expect } from 'chai';
import { InboundRejectedError } from '../../../../server/providers/errors.ts';
import type { InboundRequest, ProviderContext } from '../../../../server/providers/provider.ts';
import type { SandboxCredentials } from '../../../../server/providers/sandbox/credentials.ts';
import { sandboxProvider } from '../../../../server/providers/sandbox/index.ts';
import { signStandardWebhook } from '../../../../server/providers/sandbox/standard-webhooks.ts';
import { NOW_SEC, SECRET, sandboxCtx, signedPost, succeededBody } from './fixtures.ts';
import { readInbound } from '../../../../server/webhooks/read-inbound.ts';

function rejection(req: InboundRequest, ctx: ProviderContext<SandboxCredentials> = sandboxCtx()): InboundRejectedError {
  try {
    sandboxProvider.verifyInbound(ctx, req);
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('verifyInbound should have rejected the request');
}

describe('sandbox verifyInbound (Standard Webhooks)', () => {
  it('rejects a signature made with another secret (401)', () => {
    const err = rejection(signedPost(succeededBody(), { secret: 'whsec_AAECAwQFBgcICQoLDA0ODw==' }));
    expect([err.status, err.code]).to.deep.equal([401, 'sandbox_bad_signature']);
  });

  it('verifies the raw bytes: a body parsed and re-serialized (whitespace changed) fails', () => {
    const original =
      '{"type": "payment.succeeded", "data": {"sessionId": "ses_abc", "orderNo": "sbx-4", "amountMinor": 250000, "currency": "AMD"}}';
    const req = signedPost(original);
    expect(readInbound(sandboxProvider, sandboxCtx(), req).authenticated).to.equal(true);
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
    expect(readInbound(sandboxProvider, sandboxCtx(), signedPost(body, { signature: header })).authenticated).to.equal(true);
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
    expect(readInbound(sandboxProvider, sandboxCtx(), signedPost(succeededBody(), { timestampSec: NOW_SEC - 300 })).authenticated).to.equal(
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
    expect(readInbound(sandboxProvider, sandboxCtx(), req).authenticated).to.equal(true);
  });

  it('works with a plain (non-whsec_) secret as UTF-8 key bytes', () => {
    const ctx = sandboxCtx({ credentials: { webhookSecret: 'local-dev-secret' } });
    expect(readInbound(sandboxProvider, ctx, signedPost(succeededBody(), { secret: 'local-dev-secret' })).authenticated).to.equal(true);
  });
});
