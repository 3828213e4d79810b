import { expect } from 'chai';
import { PROBE_RESULT_CODES, probeResultSchema, settingsResponseSchema } from '../../../shared/api.ts';
import { providerConfigs } from '../../../server/db/schema.ts';
import { expectError, startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';
import { FakeAmeriabank } from '../payments/support/fake-ameriabank.ts';
import { HttpTransportError } from '../../../server/platform/http-client.ts';

const AMERIA = {
  enabled: true,
  mode: 'test',
  clientId: '7d7c8a4e-3b62-4a3c-9a87-f1f0f5c2b8a1',
  username: '3d19541048',
  password: 'lazY2k-long-password',
  testOrderIdFrom: 2923001,
  testOrderIdTo: 2924000,
};

describe('widget API: what to give each provider, and Test connection', () => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture();
  });
  afterEach(() => f.close());
  const test = async (provider: string, body: unknown, admin = true) => {
    const res = await f.api('POST', `/settings/providers/${provider}/test`, { body, admin });
    if (res.status === 200) {
      const { code } = probeResultSchema.parse(res.body);
      expect([...PROBE_RESULT_CODES, `${provider}_unreachable`, `${provider}_timeout`], code).to.include(code);
    }
    return res;
  };

  it('GET /settings lists, for every provider, each URL the admin must give it (Idram success/fail, Telcell return)', async () => {
    const res = await f.api('GET', '/settings', { admin: true });
    const { providerUrls } = settingsResponseSchema.parse(res.body);
    const base = f.t.config.publicUrl;
    expect(providerUrls).to.deep.equal({
      ameriabank: {},
      arca: { notifyUrl: `${base}/webhooks/arca/${f.accountId}` },
      idram: {
        notifyUrl: `${base}/webhooks/idram/${f.accountId}`,
        successUrl: `${base}/pay/return/idram/${f.accountId}/success`,
        failUrl: `${base}/pay/return/idram/${f.accountId}/fail`,
      },
      telcell: { notifyUrl: `${base}/webhooks/telcell/${f.accountId}`, returnUrl: `${base}/pay/return/telcell/${f.accountId}` },
      sandbox: { notifyUrl: `${base}/webhooks/sandbox/${f.accountId}` },
    });
    // Sent back with a PUT (the form may send what it got), the read-only URLs are ignored, not refused.
    const put = await f.api('PUT', '/settings', { admin: true, body: { ...res.body, pipelines: undefined } });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
  });

  it('proves the stored sandbox secret (left out of the body) with a harmless call, and saves nothing', async () => {
    const before = f.t.db.select().from(providerConfigs).all();
    expect((await test('sandbox', { enabled: true, mode: 'test' })).body).to.deep.include({ ok: true, code: 'credentials_accepted' });
    const wrong = await test('sandbox', { enabled: true, mode: 'test', webhookSecret: 'whsec_d3Jvbmctc2VjcmV0LWZvci1zYW5kYm94' });
    expect(wrong.body).to.deep.include({ ok: false, code: 'credentials_rejected' });
    expect(f.t.db.select().from(providerConfigs).all()).to.deep.equal(before);
  });

  it('answers Ameriabank credentials accepted (GetPaymentId) or unreachable, with the stable codes', async () => {
    const bank = new FakeAmeriabank(true);
    f.intercept = (req) =>
      req.url.includes('GetPaymentId')
        ? Promise.resolve({ status: 200, headers: {}, text: '{"ResponseCode":"06","PaymentId":""}' })
        : bank.handle(req);
    expect((await test('ameriabank', AMERIA)).body).to.deep.include({ ok: true, code: 'credentials_accepted' });
    // The bank's official host refusing the connection (a loopback port would be refused by the outbound policy first).
    f.intercept = () => Promise.reject(new HttpTransportError('connect ECONNREFUSED', 'ECONNREFUSED', false));
    const down = await test('ameriabank', AMERIA);
    expect(down.body, JSON.stringify(down.body)).to.deep.include({ ok: false, code: 'ameriabank_unreachable' });
  });

  it('says probe_not_supported for Idram (no API), invalid_settings for credentials its schema refuses, 400 for a malformed body', async () => {
    const idram = await test('idram', { enabled: true, mode: 'live', recAccount: '110000601', secretKey: 'secret' });
    expect(idram.body).to.deep.include({ ok: false, code: 'probe_not_supported' });
    const incomplete = await test('ameriabank', { enabled: true, mode: 'test', clientId: 'x' });
    expect(incomplete.status).to.equal(200);
    expect(incomplete.body).to.deep.include({ ok: false, code: 'invalid_settings' });
    expect(incomplete.body.message).to.match(/username/);
    expectError(await test('sandbox', { enabled: 'yes', mode: 'test' }), 400, 'invalid_body');
    expectError(await test('paypal', { enabled: true, mode: 'test' }), 404, 'unknown_provider');
  });

  it('is for admins only', async () => {
    expectError(await test('sandbox', { enabled: true, mode: 'test' }, false), 403, 'admin_only');
  });
});
