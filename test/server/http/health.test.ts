import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

describe('health and error envelope', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers /healthz and /readyz once migrations are applied', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).to.equal(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready' });
  });

  it('reports not ready when the database is gone', async () => {
    const other = await startTestApp();
    other.database.close();
    const res = await fetch(`${other.url}/readyz`);
    expect(res.status).to.equal(503);
    expect((await res.json()).error.code).to.equal('not_ready');
    await other.close();
  });

  it('answers unknown routes with the 404 envelope and a request id', async () => {
    const res = await fetch(`${t.url}/no/such/route`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    expect(await res.json()).to.deep.include({
      error: { code: 'route_not_found', message: 'No route GET /no/such/route. See openapi.yaml for the API.' },
    });
  });

  it('rejects malformed JSON with 400 malformed_json instead of a stack trace', async () => {
    const res = await fetch(`${t.url}/api/v1/leads/1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"amountMinor":',
    });
    expect(res.status).to.equal(400);
    const body = await res.json();
    expect(body.error.code).to.equal('malformed_json');
    expect(JSON.stringify(body)).not.to.match(/at .*\.ts:\d+/);
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await fetch(`${t.url}/api/v1/leads/1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'x'.repeat(100_000) }),
    });
    expect(res.status).to.equal(413);
    expect((await res.json()).error.code).to.equal('body_too_large');
  });

  it('keeps a well-formed incoming X-Request-Id and replaces a hostile one', async () => {
    const kept = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).to.equal('abc-123');
    const replaced = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'a b <script>' } });
    expect(replaced.headers.get('x-request-id')).to.not.contain('script');
  });
});
