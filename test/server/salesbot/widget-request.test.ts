import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { signBotToken } from '../../../scripts/amocrm-emulator/salesbot.ts';
import { CLIENT, installWithSandbox, startEmulatedApp, type EmulatedApp } from '../amocrm/support/emulated-app.ts';
import { describeStores } from '../../support/stores.ts';
import { salesbotSteps } from '../../../widget/src/reach/salesbot-steps.ts';
import { SALESBOT_EXITS } from '../../../widget/src/salesbot-exits.ts';

/**
 * dramlink's Salesbot step end to end: the emulated amoCRM posts `widget_request` to the real
 * server, which answers at once, creates or reuses the lead's link and continues the bot on its
 * return_url with `{{json.*}}` values; the bot then sends its message with the link.
 */
describeStores('Salesbot widget_request: the link inside the bot, through the amoCRM emulator', (kind) => {
  let e: EmulatedApp;
  let accountId: number;
  let url: string;

  beforeEach(async () => {
    e = await startEmulatedApp({ store: kind });
    accountId = await installWithSandbox(e);
    url = `${e.t.url}/amocrm/salesbot`;
  });
  afterEach(() => e.close());

  const leadPayments = (leadId: number) => e.t.db.select().from(e.t.db.t.payments).where(eq(e.t.db.t.payments.leadId, leadId));
  const botContinueJobs = () => e.t.db.select().from(e.t.db.t.syncJobs).where(eq(e.t.db.t.syncJobs.kind, 'bot_continue'));
  const settle = async () => {
    await e.t.app.services.linkRunner.runOnce();
    await e.t.app.services.syncWorker.runOnce();
  };
  const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const dataOf = (i: number) => (e.emu.continuations[i].body as { data: Record<string, string> }).data;

  it('answers within 2 s, then continues the bot once with the link; a retried call (same return_url) changes nothing', async () => {
    const lead = e.emu.addLead(accountId, { price: 4500 }).id;
    const bot = e.emu.addSalesbot(accountId, { message: 'Pay here: {{json.payment_url}} ({{json.amount_text}})' });
    const sent = await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, botId: bot.id });
    expect(sent.status).to.equal(200);
    expect(sent.durationMs).to.be.below(2_000);
    const retried = await post(sent.sentBody);
    expect(retried.status).to.equal(200);
    await settle();
    await settle();
    const [payment] = await leadPayments(lead);
    expect(await leadPayments(lead)).to.have.length(1);
    expect(e.emu.continuations).to.have.length(1);
    expect(dataOf(0)).to.include({ status: 'ok', payment_url: `${e.t.url}/pay/${payment.linkToken}`, amount: '4500', currency: 'AMD' });
    expect(dataOf(0).amount_text).to.match(/^4\D?500\sAMD$/);
    expect(e.emu.botMessages[0].text).to.equal(`Pay here: ${dataOf(0).payment_url} (${dataOf(0).amount_text})`);
  });

  it('gives a bot that calls twice for the lead the same payment, and a paid lead "paid", never a second link', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead });
    await settle();
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead });
    await settle();
    expect(await leadPayments(lead)).to.have.length(1);
    expect(dataOf(1).payment_url).to.equal(dataOf(0).payment_url);
    const { payments } = e.t.db.t;
    await e.t.db.update(payments).set({ status: 'paid', paidAt: e.clock.now(), paidAmountMinor: 10000 }).where(eq(payments.leadId, lead));
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead });
    await settle();
    expect(await leadPayments(lead)).to.have.length(1);
    expect(dataOf(2)).to.include({ status: 'paid', payment_status: 'paid' });
  });

  it('tells the bot what went wrong as a value it can branch on (status error, error no_price) and notes it on the lead', async () => {
    const lead = e.emu.addLead(accountId, { price: 0 }).id;
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead });
    await settle();
    expect(dataOf(0)).to.include({ status: 'error', error: 'no_price', payment_url: '' });
    expect(e.emu.notes(accountId, lead).some((n) => /Salesbot/.test(String(n.params.text)))).to.equal(true);
  });

  it("makes the link as the designer step's settings say: a fixed amount, one payment method, a lifetime", async () => {
    const lead = e.emu.addLead(accountId, { price: 0 }).id;
    const data = {
      lead_id: String(lead),
      dramlink_step: 'payment_link',
      amount_source: 'fixed',
      fixed_amount: '7 000',
      providers: 'sandbox',
      lifetime_hours: '5',
    };
    const sent = await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, data });
    expect(sent.status).to.equal(200);
    await settle();
    const [payment] = await leadPayments(lead);
    expect(payment).to.include({ amountMinor: 700000, currency: 'AMD', createdBy: 'salesbot' });
    expect(JSON.parse(payment.providers)).to.deep.equal(['sandbox']);
    expect(payment.expiresAt - payment.createdAt).to.equal(5 * 3600_000);
    expect(dataOf(0)).to.include({ status: 'ok', amount: '7000' });
  });

  it('answers settings it cannot use with status error, error invalid_params (the bot branches; the lead gets a note), making nothing', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const data = { lead_id: String(lead), dramlink_step: 'payment_link', amount_source: 'fixed', fixed_amount: 'a lot' };
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, data });
    await settle();
    expect(await leadPayments(lead)).to.have.length(0);
    expect(dataOf(0)).to.include({ status: 'error', error: 'invalid_params', payment_url: '' });
    expect(e.emu.notes(accountId, lead).some((n) => /Salesbot/.test(String(n.params.text)))).to.equal(true);
  });

  it('takes the lead from the token, not from data.lead_id, and notes for doctor whether amoCRM filled the {{lead.id}} marker', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const other = e.emu.addLead(accountId, { price: 200 }).id;
    const seen = async () =>
      JSON.parse(
        (await e.t.db.select().from(e.t.db.t.amocrmObservations).where(eq(e.t.db.t.amocrmObservations.topic, 'salesbot_designer')))[0].data,
      ) as Record<string, unknown>;
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, data: { lead_id: '{{lead.id}}', dramlink_step: 'payment_link' } });
    expect(await seen()).to.include({
      handler: 'payment_link',
      leadIdMarker: 'left_unfilled',
      lastErrorCode: 'lead_id_marker_left_unfilled',
    });
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, data: { lead_id: String(other), dramlink_step: 'payment_link' } });
    await settle();
    expect(await leadPayments(other)).to.have.length(0);
    expect(await leadPayments(lead)).to.have.length(1);
    await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, data: { lead_id: String(lead), dramlink_step: 'payment_link' } });
    expect(await seen()).to.include({ leadIdMarker: 'filled' });
    expect((await seen()).lastOkAt).to.be.a('number');
  });

  it("runs a bot built from the designer step's code: the link comes back as {{json.payment_url}} and the bot leaves through success, or error when no link", async () => {
    const priced = e.emu.addLead(accountId, { price: 2500 }).id;
    const unpriced = e.emu.addLead(accountId, { price: 0 }).id;
    const designed = (params: Record<string, string>) =>
      e.emu.addSalesbot(accountId, { steps: JSON.parse(salesbotSteps(e.t.url, 'payment_link', params)), exits: [...SALESBOT_EXITS] });
    const ok = e.emu.runBot(accountId, designed({ amount_source: 'lead_price' }).id, priced);
    const none = e.emu.runBot(accountId, designed({}).id, unpriced);
    await e.emu.settle();
    await settle();
    const [payment] = await leadPayments(priced);
    expect(ok).to.include({ state: 'exited', exit: 'success', widgetRequestStatus: 200 });
    expect(ok.json).to.include({ status: 'ok', payment_url: `${e.t.url}/pay/${payment.linkToken}` });
    expect(none).to.include({ state: 'exited', exit: 'error' });
    expect(none.json).to.include({ status: 'error', error: 'no_price' });
  });

  it('answers an HS256 token too (the docs name no algorithm) and notes which came, for doctor', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const sent = await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, alg: 'HS256' });
    expect(sent.status).to.equal(200);
    await settle();
    expect(dataOf(0).status).to.equal('ok');
  });

  it('refuses a token not signed with the integration secret (401) and a return_url on another host (400), storing nothing', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const forged = await e.emu.sendWidgetRequest(accountId, { url, leadId: lead, secret: 'not-the-secret' });
    expect(forged.status).to.equal(401);
    const token = signBotToken(
      {
        accountId,
        subdomain: e.account.subdomain,
        domain: 'amocrm.ru',
        entityId: lead,
        clientId: CLIENT.clientId,
        redirectUri: CLIENT.redirectUri,
        now: e.clock.now(),
      },
      CLIENT.clientSecret,
    );
    for (const returnUrl of [
      'http://169.254.169.254/api/v4/salesbot/1/continue/2',
      `${e.emu.url}/api/v4/leads`,
      `${e.emu.url}/api/v4/salesbot/1/continue/2?x=1`,
    ]) {
      const res = await post(JSON.stringify({ token, data: {}, return_url: returnUrl }));
      expect(res.status, returnUrl).to.equal(400);
    }
    expect(await e.t.db.select().from(e.t.db.t.linkRequests)).to.have.length(0);
    expect(await botContinueJobs()).to.have.length(0);
  });

  it('continues the bot once even when the continue answer is lost (5xx after amoCRM applied it)', async () => {
    const lead = e.emu.addLead(accountId, { price: 100 }).id;
    const sent = await e.emu.sendWidgetRequest(accountId, { url, leadId: lead });
    await e.t.app.services.linkRunner.runOnce();
    e.emu.faults.add({ method: 'POST', path: new URL(sent.returnUrl).pathname, applyThenFail: true, status: 502 });
    await e.t.app.services.syncWorker.runOnce();
    e.clock.advance(120_000);
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.continuations).to.have.length(1);
    const [job] = await botContinueJobs();
    expect(job.state).to.equal('done');
  });
});
