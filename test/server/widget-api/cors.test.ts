import { expect } from 'chai';
import { startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

describe('widget API: CORS', () => {
  let f: WidgetFixture;
  before(async () => {
    f = await startWidgetFixture();
  });
  after(() => f.close());

  const preflight = (origin: string | undefined, method = 'POST') =>
    fetch(`${f.t.url}/api/v1/leads/5/payments`, {
      method: 'OPTIONS',
      headers: {
        ...(origin ? { origin } : {}),
        'access-control-request-method': method,
        'access-control-request-headers': 'x-auth-token, content-type',
      },
    });

  for (const origin of ['https://shop.amocrm.ru', 'https://shop.amocrm.com', 'https://shop.kommo.com']) {
    it(`answers a preflight from ${origin} allowing X-Auth-Token and Content-Type`, async () => {
      const res = await preflight(origin);
      expect(res.status).to.equal(204);
      expect(res.headers.get('access-control-allow-origin')).to.equal(origin);
      const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
      expect(allowed).to.contain('x-auth-token');
      expect(allowed).to.contain('content-type');
      expect(res.headers.get('access-control-allow-methods')).to.contain('PUT');
      expect(res.headers.get('vary')).to.match(/origin/i);
    });
  }

  for (const origin of [
    'https://evil.example',
    'http://shop.amocrm.ru',
    'https://shop.amocrm.ru.evil.example',
    'https://amocrm.ru',
    'null',
  ]) {
    it(`refuses a preflight from ${origin} without a CORS grant`, async () => {
      const res = await preflight(origin);
      expect(res.status).to.equal(403);
      expect(res.headers.get('access-control-allow-origin')).to.equal(null);
      expect((await res.json()).error.code).to.equal('cors_origin_denied');
    });
  }

  it('grants the account its own origin on a real request, and errors carry the grant too', async () => {
    const origin = `https://${f.account.subdomain}.amocrm.ru`;
    const ok = await f.api('GET', '/exceptions', { origin });
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('access-control-allow-origin')).to.equal(origin);
    const refused = await f.api('GET', '/exceptions', { origin, token: null });
    expect(refused.status).to.equal(401);
    expect(refused.headers.get('access-control-allow-origin')).to.equal(origin);
  });

  it('withdraws the grant when the page belongs to another account than the token', async () => {
    const res = await f.api('GET', '/exceptions', { origin: 'https://someone-else.amocrm.ru' });
    expect(res.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it('gives no grant to a foreign origin on a real request', async () => {
    const res = await f.api('GET', '/exceptions', { origin: 'https://evil.example' });
    expect(res.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it('answers a malformed JSON body with the envelope and the CORS grant', async () => {
    const origin = `https://${f.account.subdomain}.kommo.com`;
    const res = await f.api('POST', '/leads/5/payments', { origin, rawBody: '{"amountMinor":' });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('malformed_json');
    expect(res.headers.get('access-control-allow-origin')).to.equal(origin);
  });
});
