import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp } from '../../support/test-app.ts';
import { eq } from 'drizzle-orm';
import { accounts, tokens } from '../../../server/db/schema.ts';
import { readTokens } from '../../../server/amocrm/token-store.ts';
import { providerConfigs } from '../../../server/db/schema.ts';
import { newLeadPayment, startEmulatedApp, type EmulatedApp } from '../amocrm/support/emulated-app.ts';
import { runSync } from '../../../server/db/step.ts';

function installWithSandboxConfig(e: EmulatedApp): void {
  e.t.db
    .insert(providerConfigs)
    .values({
      accountId: e.account.id,
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentialsSealed: e.t.app.services.secretBox.seal('{}'),
      updatedAt: e.clock.now(),
    })
    .run();
}

describe('GET /oauth/callback (install against the amoCRM emulator)', () => {
  let e: EmulatedApp;
  beforeEach(async () => {
    e = await startEmulatedApp();
  });
  afterEach(() => e.close());

  it('exchanges the code, stores the pair sealed, creates the six lead fields by code and marks the account active', async () => {
    const res = await e.install();
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.match(new RegExp(`^/oauth/connected\\?account_id=${e.account.id}&exp=\\d+&sig=[0-9a-f]{64}$`));

    const { db } = e.t;
    const { secretBox } = e.t.app.services;
    const row = db.select().from(accounts).where(eq(accounts.id, e.account.id)).get()!;
    expect(row).to.include({ state: 'active', subdomain: 'shop', baseDomain: 'amocrm.ru' });
    expect(row.installedBy).to.equal(e.emu.getAccount(e.account.id)!.users[0].id);

    const sealed = db.select().from(tokens).where(eq(tokens.accountId, e.account.id)).get()!;
    const opened = runSync(readTokens(db, secretBox, e.account.id))!;
    expect(sealed.accessTokenSealed).to.match(/^v1:/).and.not.contain(opened.accessToken);
    expect(sealed.refreshTokenSealed).not.to.contain(opened.refreshToken);

    const fields = e.emu.customFields(e.account.id).filter((f) => f.code?.startsWith('DRAMLINK_'));
    expect(fields.map((f) => [f.code, f.type, f.is_api_only]).sort()).to.deep.equal(
      [
        ['DRAMLINK_AMOUNT', 'numeric', true],
        ['DRAMLINK_CURRENCY', 'text', true],
        ['DRAMLINK_LINK', 'url', true],
        ['DRAMLINK_PAID_AT', 'date_time', true],
        ['DRAMLINK_PROVIDER_REF', 'text', true],
        ['DRAMLINK_STATUS', 'select', true],
      ].sort(),
    );
    const status = fields.find((f) => f.code === 'DRAMLINK_STATUS')!;
    expect(status.enums).to.have.length(7);
    const ids = JSON.parse(row.fieldIds);
    expect(ids.DRAMLINK_STATUS.id).to.equal(status.id);
    expect(Object.keys(ids.DRAMLINK_STATUS.enums)).to.have.members([
      'awaiting_payment',
      'paid',
      'payment_failed',
      'expired',
      'manual_review',
      'partial_refund',
      'full_refund',
    ]);
    expect(ids.DRAMLINK_STATUS.enums.paid).to.equal(status.enums!.find((x) => x.value === 'Paid')!.id);

    const page = await fetch(`${e.t.url}${res.headers.get('location')}`);
    expect(page.status).to.equal(200);
    expect(await page.text())
      .to.contain('dramlink is connected')
      .and.contain('shop.amocrm.ru');
  });

  it('names the connected account only for the signed link of the install: a guessed, edited or old link learns nothing', async () => {
    const location = (await e.install()).headers.get('location')!;
    const signed = new URL(location, e.t.url);
    const attempts = [
      `/oauth/connected?account_id=${e.account.id}`,
      `/oauth/connected?account_id=${e.account.id}&exp=${signed.searchParams.get('exp')}&sig=${'0'.repeat(64)}`,
      `/oauth/connected?account_id=${e.account.id + 1}&exp=${signed.searchParams.get('exp')}&sig=${signed.searchParams.get('sig')}`,
      `/oauth/connected?account_id=999999`,
    ];
    const pages = await Promise.all(
      attempts.map(async (path) => {
        const res = await fetch(`${e.t.url}${path}`);
        return { status: res.status, text: await res.text() };
      }),
    );
    for (const p of pages) {
      expect(p.status).to.equal(404);
      expect(p.text).to.not.contain('shop').and.not.contain(String(e.account.id));
    }
    expect(pages[0].text, 'an unknown account reads the same as a known one').to.equal(pages[3].text);
    e.clock.advance(16 * 60_000);
    expect((await fetch(`${e.t.url}${location}`)).status, 'expired after 15 minutes').to.equal(404);
  });

  it('finds the fields on a second install instead of creating duplicates', async () => {
    expect((await e.install()).status).to.equal(303);
    const before = e.emu.customFields(e.account.id).length;
    const firstIds = accountFieldIds(e);
    expect((await e.install()).status).to.equal(303);
    expect(e.emu.customFields(e.account.id)).to.have.length(before);
    expect(accountFieldIds(e)).to.deep.equal(firstIds);
    const posts = e.emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/leads/custom_fields');
    expect(posts).to.have.length(1);
  });

  it('fails cleanly on a code that was already used and changes nothing', async () => {
    const code = e.emu.issueAuthCode(e.account.id);
    expect((await e.install(code)).status).to.equal(303);
    const { db } = e.t;
    const accountBefore = db.select().from(accounts).all();
    const tokensBefore = db.select().from(tokens).all();
    const requestsBefore = e.emu.requests.length;

    const again = await e.install(code);
    expect(again.status).to.equal(400);
    expect(again.headers.get('content-type')).to.match(/text\/html/);
    expect(await again.text()).to.contain('already used');
    expect(db.select().from(accounts).all()).to.deep.equal(accountBefore);
    expect(db.select().from(tokens).all()).to.deep.equal(tokensBefore);
    // Only the refused exchange went out: no account read, no field calls.
    expect(e.emu.requests.slice(requestsBefore).map((r) => r.path)).to.deep.equal(['/oauth2/access_token']);
  });

  it('refuses a referer that is not an amoCRM/Kommo host without sending the code anywhere', async () => {
    const res = await fetch(`${e.t.url}/oauth/callback?code=abc&referer=evil.example.com&from_widget=1`, { redirect: 'manual' });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.contain('not an amoCRM or Kommo account address');
    expect(e.emu.requests).to.have.length(0);
  });

  it('logs enough to recover an install by hand but never the code or a token', async () => {
    await e.close();
    e = await startEmulatedApp({ logLevel: 'debug' });
    const code = e.emu.issueAuthCode(e.account.id);
    await e.install(code);
    await e.install(code);
    const { db } = e.t;
    const { secretBox } = e.t.app.services;
    const pair = runSync(readTokens(db, secretBox, e.account.id))!;
    const logs = e.t.logs().join('\n');
    expect(logs).to.contain('shop.amocrm.ru');
    expect(logs).not.to.contain(code);
    expect(logs).not.to.contain(pair.accessToken);
    expect(logs).not.to.contain(pair.refreshToken);
  });
  it("keeps the spent code's tokens when amoCRM fails right after the exchange; the sync worker creates the fields later", async () => {
    const outage = e.emu.faults.add({ path: /^\/api\/v4\//, status: 503, times: Infinity });
    const res = await e.install();
    expect(res.status).to.equal(303);
    const { db } = e.t;
    const { secretBox } = e.t.app.services;
    const row = db.select().from(accounts).where(eq(accounts.id, e.account.id)).get()!;
    expect(row.state).to.equal('active');
    expect(row.fieldIds).to.equal('{}');
    expect(runSync(readTokens(db, secretBox, e.account.id))).to.not.equal(undefined);

    outage.remove();
    await installWithSandboxConfig(e);
    const payment = await newLeadPayment(e);
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.customFields(e.account.id).filter((f) => f.code?.startsWith('DRAMLINK_'))).to.have.length(6);
    expect(e.emu.leadFieldValue(e.account.id, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Awaiting payment');
  });
});

function accountFieldIds(e: EmulatedApp): unknown {
  return JSON.parse(e.t.db.select().from(accounts).where(eq(accounts.id, e.account.id)).get()!.fieldIds);
}

describe('GET /oauth/callback: the budget of install attempts', () => {
  it('answers 429 past 20 callbacks a minute from one client, without calling amoCRM for them', async () => {
    let exchanges = 0;
    const amocrm = createServer((_req, res) => {
      exchanges++;
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"hint":"Authorization code has been revoked"}');
    });
    await new Promise<void>((r) => amocrm.listen(0, '127.0.0.1', r));
    const t = await startTestApp({ env: { AMOCRM_BASE_URL: `http://127.0.0.1:${(amocrm.address() as AddressInfo).port}` } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        const res = await fetch(`${t.url}/oauth/callback?code=bogus${i}&referer=shop.amocrm.ru&platform=1`, { redirect: 'manual' });
        statuses.push(res.status);
        await res.text();
      }
      expect(statuses.slice(20)).to.deep.equal([429, 429, 429, 429, 429]);
      expect(statuses.slice(0, 20)).to.not.include(429);
      expect(exchanges).to.equal(20);
      t.clock.advance(60_000);
      expect((await fetch(`${t.url}/oauth/callback?code=x&referer=shop.amocrm.ru&platform=1`, { redirect: 'manual' })).status).to.not.equal(
        429,
      );
    } finally {
      await t.close();
      amocrm.close();
    }
  });
});
