import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createAxiosHttpClient } from '../../../server/platform/http-client.ts';
import { pipelineKeyOf } from '../../../server/pipeline/pipeline-key-store.ts';
import type { Store } from '../../../server/db/store.ts';
import { describeStores, openSharedStores } from '../../support/stores.ts';
import { saveProvider, startTestApp, type TestApp } from '../../support/test-app.ts';
import { CLIENT, installWithSandbox, startEmulatedApp, type EmulatedApp } from '../amocrm/support/emulated-app.ts';

/**
 * The automation flows with two server instances on one database (docs/architecture.md, The stores):
 * amoCRM's duplicates and retries land on either instance and both link runners and sync workers
 * run at once, yet each trigger makes exactly one payment, one note and one bot continuation, and a
 * bulk run retried on the other instance is the same run.
 */
describeStores('links made by automation, with two instances on one database', (kind) => {
  let shared: { stores: Store[]; close(): Promise<void> };
  let e: EmulatedApp;
  let b: TestApp;
  let accountId: number;

  beforeEach(async () => {
    shared = await openSharedStores(kind, 2);
    // Each app closes nothing: the shared stores are closed below.
    const keep = (store: Store): Store => ({ ...store, close: async () => undefined });
    const env = { SECRETS_KEY: randomBytes(32).toString('base64') };
    e = await startEmulatedApp({ store: keep(shared.stores[0]), env });
    b = await startTestApp({
      clock: e.clock,
      http: e.clock.track(createAxiosHttpClient({ defaultTimeoutMs: 5_000 })),
      logLevel: 'error',
      store: keep(shared.stores[1]),
      env: {
        ...env,
        AMOCRM_CLIENT_ID: CLIENT.clientId,
        AMOCRM_CLIENT_SECRET: CLIENT.clientSecret,
        AMOCRM_REDIRECT_URI: CLIENT.redirectUri,
        AMOCRM_BASE_URL: e.emu.url,
        AMOCRM_RPS: '7',
      },
    });
    accountId = await installWithSandbox(e);
  });
  afterEach(async () => {
    await b.close();
    await e.close();
    await shared.close();
  });

  const apps = () => [e.t, b];
  const leadPayments = (leadId: number) => e.t.db.select().from(e.t.db.t.payments).where(eq(e.t.db.t.payments.leadId, leadId));
  /** Both instances' link runners at once, then both sync workers at once. */
  const settle = async () => {
    await Promise.all(apps().map((t) => t.app.services.linkRunner.runOnce()));
    await Promise.all(apps().map((t) => t.app.services.syncWorker.runOnce()));
  };

  it('Digital Pipeline: one trigger event delivered eight times over both instances makes one link and one note', async () => {
    const { store, secretBox } = e.t.app.services;
    const key = await store.transaction((tx) => pipelineKeyOf(tx, secretBox, accountId, e.clock.now()));
    const lead = e.emu.addLead(accountId, { price: 4500 }).id;
    const fire = (t: TestApp) =>
      e.emu.fireDigitalPipeline(accountId, {
        url: `${t.url}/amocrm/pipeline`,
        leadId: lead,
        settings: { dramlink_key: key },
        time: 1_768_471_200,
      });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => fire(apps()[i % 2])));
    expect(answers.map((a) => a.status)).to.deep.equal(Array(8).fill(200));
    await settle();
    await settle();
    const made = await leadPayments(lead);
    expect(made).to.have.length(1);
    expect(made[0]).to.include({ amountMinor: 450000, createdBy: 'pipeline' });
    const notes = e.emu.notes(accountId, lead).map((n) => String(n.params.text));
    expect(notes.filter((t) => /Digital Pipeline/.test(t))).to.have.length(1);
  });

  it('Salesbot: a widget_request retried on the other instance gives one payment and continues the bot once', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const sent = await e.emu.sendWidgetRequest(accountId, { url: `${e.t.url}/amocrm/salesbot`, leadId: lead });
    expect(sent.status).to.equal(200);
    const retried = await fetch(`${b.url}/amocrm/salesbot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sent.sentBody,
    });
    expect(retried.status).to.equal(200);
    await settle();
    await settle();
    expect(await leadPayments(lead)).to.have.length(1);
    expect(e.emu.continuations).to.have.length(1);
    expect((e.emu.continuations[0].body as { data: Record<string, string> }).data.status).to.equal('ok');
  });

  it('PayWall: first visits to one invoice on both instances at once open one payment', async () => {
    await saveProvider(e.t, accountId, {
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentials: { webhookSecret: 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=' },
    });
    e.emu.enableInvoices(accountId);
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const inv = e.emu.addInvoice(accountId, { leadId: lead, price: 100 });
    const open = (t: TestApp) => fetch(`${t.url}/paywall/${accountId}/${inv.id}/sandbox?lang=en`, { redirect: 'manual' });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => open(apps()[i % 2])));
    expect(answers.map((a) => a.status)).to.deep.equal(Array(6).fill(303));
    const { invoicePayments } = e.t.db.t;
    expect(await e.t.db.select().from(invoicePayments).where(eq(invoicePayments.invoiceId, inv.id))).to.have.length(1);
    expect(await leadPayments(lead)).to.have.length(1);
  });
  it('Bulk: a lead-list run whose POST is retried on the other instance at once is one run, with one link per lead', async () => {
    const leads = [1200, 3400, 5600].map((price) => e.emu.addLead(accountId, { price }).id);
    const account = e.emu.getAccount(accountId)!;
    const managerId = account.users.find((u) => !u.is_admin)!.id;
    const post = (t: TestApp) =>
      fetch(`${t.url}/api/v1/bulk/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-auth-token': e.emu.signDisposableToken({ accountId, userId: managerId, isAdmin: false }),
        },
        body: JSON.stringify({ leadIds: leads, requestId: 'bulk-across-0001' }),
      });
    const answers = await Promise.all([post(e.t), post(b), post(e.t), post(b)]);
    expect(answers.map((a) => a.status)).to.deep.equal([202, 202, 202, 202]);
    await settle();
    await settle();
    for (const lead of leads) expect(await leadPayments(lead), `lead ${lead}`).to.have.length(1);
    const { linkRequests } = e.t.db.t;
    const requests = await e.t.db.select().from(linkRequests).where(eq(linkRequests.source, 'bulk'));
    expect(requests.map((r) => r.batchId)).to.deep.equal(Array(3).fill('bulk-across-0001'));
    expect(requests.map((r) => r.outcome)).to.deep.equal(['created', 'created', 'created']);
  });
});
