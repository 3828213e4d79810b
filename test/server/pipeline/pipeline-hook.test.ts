import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { pipelineKeyOf } from '../../../server/pipeline/pipeline-key-store.ts';
import { installWithSandbox, startEmulatedApp, type EmulatedApp } from '../amocrm/support/emulated-app.ts';
import { describeStores } from '../../support/stores.ts';

/**
 * The Digital Pipeline action "create a payment link" end to end: the emulated amoCRM posts the
 * documented hook (JSON or form) to the real server, which checks the account's key, makes one
 * link per trigger event in the background and writes the lead as for any link.
 */
describeStores('Digital Pipeline: a payment link per trigger event, through the amoCRM emulator', (kind) => {
  let e: EmulatedApp;
  let accountId: number;
  let key: string;
  let hookUrl: string;

  beforeEach(async () => {
    e = await startEmulatedApp({ store: kind });
    accountId = await installWithSandbox(e);
    const { store, secretBox } = e.t.app.services;
    key = await store.transaction((tx) => pipelineKeyOf(tx, secretBox, accountId, e.clock.now()));
    hookUrl = `${e.t.url}/amocrm/pipeline`;
  });
  afterEach(() => e.close());

  const leadPayments = (leadId: number) => e.t.db.select().from(e.t.db.t.payments).where(eq(e.t.db.t.payments.leadId, leadId));
  const linkRequestRows = () => e.t.db.select().from(e.t.db.t.linkRequests);
  const settle = async () => {
    await e.t.app.services.linkRunner.runOnce();
    await e.t.app.services.syncWorker.runOnce();
  };
  const fire = (leadId: number, extra: Record<string, unknown> = {}) =>
    e.emu.fireDigitalPipeline(accountId, { url: hookUrl, leadId, settings: { dramlink_key: key }, time: 1_768_471_200, ...extra });

  it('makes exactly one link for a trigger event delivered three times (twice as JSON, once as a form) and five times at once', async () => {
    const lead = e.emu.addLead(accountId, { price: 4500 }).id;
    const answers = [await fire(lead), await fire(lead), await fire(lead, { format: 'form' })];
    answers.push(...(await Promise.all([1, 2, 3, 4, 5].map(() => fire(lead)))));
    expect(answers.map((a) => a.status)).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200]);
    expect(JSON.parse(answers[1].body)).to.include({ duplicate: true });
    await settle();
    const made = await leadPayments(lead);
    expect(made).to.have.length(1);
    expect(made[0]).to.include({ amountMinor: 450000, currency: 'AMD', createdBy: 'pipeline' });
    expect(e.emu.leadFieldValue(accountId, lead, 'DRAMLINK_LINK')).to.equal(`${e.t.url}/pay/${made[0].linkToken}`);
    const notes = e.emu.notes(accountId, lead).map((n) => String(n.params.text));
    expect(notes.filter((t) => /Digital Pipeline/.test(t))).to.have.length(1);
  });

  it('answers at once even while amoCRM is slow to give the lead; the link follows', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    e.emu.faults.add({ method: 'GET', path: '/api/v4/leads', delayMs: 2_500 });
    const answer = await fire(lead);
    expect(answer.status).to.equal(200);
    expect(answer.durationMs).to.be.below(2_000);
    await settle();
    expect(await leadPayments(lead)).to.have.length(1);
  });

  it('reuses the live link when the lead enters the stage again with the same amount, and makes a new one for a new amount', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    await fire(lead);
    await settle();
    await fire(lead, { time: 1_768_471_500 });
    await settle();
    expect(await leadPayments(lead)).to.have.length(1);
    await fire(lead, { time: 1_768_472_000, settings: { dramlink_key: key, amount_source: 'fixed', fixed_amount: '250.50' } });
    await settle();
    expect((await leadPayments(lead)).map((p) => p.amountMinor).sort()).to.deep.equal([10000, 25050]);
  });

  it('refuses a hook without the account key (403) and stores nothing; ignores other events', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const forged = await e.emu.fireDigitalPipeline(accountId, { url: hookUrl, leadId: lead, settings: { dramlink_key: 'dlk_guess' } });
    expect(forged.status).to.equal(403);
    expect(JSON.parse(forged.body).error.code).to.equal('invalid_pipeline_key');
    const leaving = await fire(lead, { direction: 'went_from_trigger' });
    expect(JSON.parse(leaving.body)).to.include({ ignored: true });
    expect(await linkRequestRows()).to.have.length(0);
  });

  it('leaves a note saying why when the lead has no price, and makes no link', async () => {
    const lead = e.emu.addLead(accountId, { price: 0 }).id;
    await fire(lead);
    await settle();
    expect(await leadPayments(lead)).to.have.length(0);
    const [request] = await linkRequestRows();
    expect(request).to.include({ state: 'failed', reason: 'no_price' });
    expect(e.emu.notes(accountId, lead).map((n) => String(n.params.text))[0]).to.match(/Digital Pipeline.*(no price|нет бюджета)/);
  });

  it('retries while amoCRM is down, then makes the one link', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    e.emu.faults.add({ method: 'GET', path: '/api/v4/leads', status: 503, times: 4 });
    await fire(lead);
    await e.t.app.services.linkRunner.runOnce();
    expect(await leadPayments(lead)).to.have.length(0);
    e.clock.advance(10_000);
    await settle();
    expect(await leadPayments(lead)).to.have.length(1);
  });
});
