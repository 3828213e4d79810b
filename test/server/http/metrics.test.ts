import { expect } from 'chai';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';

describe('/metrics', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('counts a rejected notification and the ledger events read from the audit trail', async () => {
    const accountId = await seedAccount(t);
    await createPayment(t.app.services.ledger, {
      accountId,
      leadId: 1,
      amountMinor: 1000,
      currency: 'AMD',
      providers: ['sandbox'],
      expiresInHours: 1,
      createdBy: 'user:1',
      publicUrl: t.url,
    });
    const forged = await fetch(`${t.url}/webhooks/sandbox/${accountId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(Math.floor(t.clock.now() / 1000)),
        'webhook-signature': 'v1,AAAA',
      },
      body: '{}',
    });
    expect(forged.status).to.equal(401);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).to.equal(200);
    const text = await res.text();
    expect(text).to.match(/dramlink_notifications_total\{provider="sandbox",result="rejected"\} 1/);
    expect(text).to.match(/dramlink_ledger_transitions\{action="created"\} 1/);
    expect(text).to.match(/dramlink_sync_queue_depth\{state="pending"\} 2/);
  });

  it('does not let an unknown provider name grow the label set', async () => {
    await fetch(`${t.url}/webhooks/no-such-provider-${Date.now()}/1`, { method: 'POST', body: 'x' });
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).to.match(/dramlink_notifications_total\{provider="unknown",result="rejected"\} 1/);
    expect(text).not.to.contain('no-such-provider');
  });
});

describe('/metrics: amoCRM calls', () => {
  it('counts amoCRM requests by status and token refreshes by result', async () => {
    const { startAmocrmEmulator } = await import('../../../scripts/amocrm-emulator/index.ts');
    const emu = await startAmocrmEmulator({
      clientId: 'test-client-id',
      clientSecret: 'test-client-secret',
      redirectUri: 'http://127.0.0.1/oauth/callback',
      rps: Infinity,
    });
    const t = await startTestApp({ env: { AMOCRM_BASE_URL: emu.url, AMOCRM_REDIRECT_URI: 'http://127.0.0.1/oauth/callback' } });
    try {
      const account = emu.addAccount();
      const { writeTokens } = await import('../../../server/amocrm/token-store.ts');
      await seedAccount(t, { id: account.id, subdomain: account.subdomain });
      const pair = emu.issueTokens(account.id);
      await t.store.transaction((tx) =>
        writeTokens(
          tx,
          t.app.services.secretBox,
          account.id,
          { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresIn: pair.expires_in },
          t.clock.now(),
        ),
      );
      emu.expireAccessTokens(account.id);
      await t.app.services.amocrm.client.request(account.id, { method: 'GET', path: '/api/v4/account' });
      const text = await (await fetch(`${t.url}/metrics`)).text();
      expect(text).to.match(/dramlink_amocrm_requests_total\{status="401"\} 1/);
      expect(text).to.match(/dramlink_amocrm_requests_total\{status="200"\} [2-9]/);
      expect(text).to.match(/dramlink_token_refreshes_total\{result="ok"\} 1/);
    } finally {
      await t.close();
      await emu.stop();
    }
  });
});

describe('/metrics: who may scrape', () => {
  const PRODUCTION = {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://pay.example.am',
    AMOCRM_CLIENT_SECRET: 'prod-like-integration-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  };
  const scrape = (t: TestApp, authorization?: string) =>
    fetch(`${t.url}/metrics`, { headers: authorization ? { authorization } : {} }).then(async (r) => ({
      status: r.status,
      text: await r.text(),
      challenge: r.headers.get('www-authenticate'),
    }));

  it('needs the METRICS_TOKEN bearer when one is set: none or a wrong one is 401 with nothing counted in the answer', async () => {
    const t = await startTestApp({ env: { METRICS_TOKEN: 'scraper-token-0123456789' } });
    try {
      for (const auth of [undefined, 'Bearer wrong-token-0123456789', 'Basic c2NyYXBlcg==', 'Bearer scraper-token-0123456789x']) {
        const res = await scrape(t, auth);
        expect(res.status, String(auth)).to.equal(401);
        expect(res.text).to.contain('metrics_unauthorized').and.not.contain('dramlink_');
        expect(res.challenge).to.match(/^Bearer/);
      }
      const ok = await scrape(t, 'Bearer scraper-token-0123456789');
      expect(ok.status).to.equal(200);
      expect(ok.text).to.contain('dramlink_');
    } finally {
      await t.close();
    }
  });

  it('is refused in production without a token (403 metrics_disabled), unless METRICS_PUBLIC=true', async () => {
    const closed = await startTestApp({ env: PRODUCTION });
    const open = await startTestApp({ env: { ...PRODUCTION, METRICS_PUBLIC: 'true' } });
    try {
      const refused = await scrape(closed);
      expect(refused.status).to.equal(403);
      expect(refused.text).to.contain('metrics_disabled').and.contain('METRICS_TOKEN');
      expect((await scrape(open)).status).to.equal(200);
    } finally {
      await closed.close();
      await open.close();
    }
  });
});
