import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { renderNoteText } from '../../../server/sync/render/note-text.ts';
import { paymentMessageSchema } from '../../../shared/api.ts';
import { expectError, startWidgetFixture, whileTimePasses, type WidgetFixture } from './widget-fixture.ts';
import { describeStores } from '../../support/stores.ts';

/**
 * "Send" on the lead card: amoCRM starts the account's Salesbot for the lead (the emulator's bot then
 * asks dramlink's widget_request step for the link and sends it into the chat), or the manager copies
 * a ready message. A send is recorded only when amoCRM accepted the start.
 */
describeStores('widget API: sending a link from the card', (kind) => {
  let f: WidgetFixture;
  let leadId: number;
  beforeEach(async () => {
    f = await startWidgetFixture({ store: kind });
    leadId = f.emu.addLead(f.accountId, { price: 4500 }).id;
  });
  afterEach(() => f.close());

  const createLink = async () => {
    const res = await f.api('POST', `/leads/${leadId}/payments`, { body: {} });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.payment as { id: string; link: string; history: Array<{ action: string; actor: string; details: unknown }> };
  };
  const chooseBot = async (botId: number) => {
    const body = { providers: {}, defaultCurrency: 'AMD', linkTtlHours: 72, salesbotId: botId };
    const res = await f.api('PUT', '/settings', { admin: true, body });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.salesbotId).to.equal(botId);
  };
  const sentAudits = (paymentId: string) => {
    const { auditEntries } = f.t.db.t;
    return f.t.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.paymentId, paymentId), eq(auditEntries.action, 'sent')));
  };
  const notesOf = async (paymentId: string) => {
    const { syncJobs } = f.t.db.t;
    const jobs = await f.t.db
      .select()
      .from(syncJobs)
      .where(and(eq(syncJobs.paymentId, paymentId), eq(syncJobs.kind, 'note')));
    return jobs.map((j) => renderNoteText(JSON.parse(j.payload)));
  };

  it('starts the chosen Salesbot for the lead and records who sent it, when and how (history and a note)', async () => {
    const bot = f.emu.addSalesbot(f.accountId, { message: 'Pay: {{json.payment_url}}' });
    await chooseBot(bot.id);
    const p = await createLink();
    const res = await f.api('POST', `/payments/${p.id}/send`, { body: { via: 'salesbot' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(f.emu.botRuns).to.have.length(1);
    expect(f.emu.botRuns[0]).to.include({ accountId: f.accountId, botId: bot.id, entityId: leadId });
    const sent = res.body.payment.history.find((h: { action: string }) => h.action === 'sent');
    expect(sent).to.deep.include({ actor: `user:${f.managerId}`, details: { via: 'salesbot', botId: bot.id } });
    expect(Date.parse(sent.at)).to.be.a('number').and.not.NaN;
    expect((await notesOf(p.id)).some((n) => n.includes(`#${bot.id}`) || /Salesbot/.test(n))).to.equal(true);
  });

  it('the started bot gets the live link through its dramlink step and sends it into the chat', async () => {
    const bot = f.emu.addSalesbot(f.accountId, { message: 'Pay: {{json.payment_url}}', widgetRequestUrl: `${f.t.url}/amocrm/salesbot` });
    await chooseBot(bot.id);
    const p = await createLink();
    expect((await f.api('POST', `/payments/${p.id}/send`, { body: { via: 'salesbot' } })).status).to.equal(200);
    await f.emu.settle();
    await whileTimePasses(f, () => f.t.app.services.linkRunner.runOnce());
    await whileTimePasses(f, () => f.t.app.services.syncWorker.runOnce());
    expect(f.emu.botMessages.map((m) => m.text)).to.deep.equal([`Pay: ${p.link}`]);
  });

  it('claims no send when no Salesbot is chosen (409 salesbot_not_configured) or amoCRM does not know it (409 salesbot_not_found)', async () => {
    const p = await createLink();
    expectError(await f.api('POST', `/payments/${p.id}/send`, { body: { via: 'salesbot' } }), 409, 'salesbot_not_configured');
    await chooseBot(987654);
    expectError(await f.api('POST', `/payments/${p.id}/send`, { body: { via: 'salesbot' } }), 409, 'salesbot_not_found');
    expect(await sentAudits(p.id)).to.have.length(0);
    expect(f.emu.botRuns).to.have.length(0);
  });

  it('claims no send when amoCRM fails the start, and says the message may have gone (no blind second start)', async () => {
    const bot = f.emu.addSalesbot(f.accountId);
    await chooseBot(bot.id);
    const p = await createLink();
    f.emu.faults.add({ method: 'POST', path: '/api/v2/salesbot/run', status: 502 });
    const res = await f.api('POST', `/payments/${p.id}/send`, { body: { via: 'salesbot' } });
    expect(res.status).to.be.within(500, 504);
    expect(res.body.error.code).to.equal('salesbot_start_unknown');
    expect(await sentAudits(p.id)).to.have.length(0);
  });

  it('refuses to send a link that can no longer be paid (409 payment_not_payable)', async () => {
    const bot = f.emu.addSalesbot(f.accountId);
    await chooseBot(bot.id);
    const p = await createLink();
    expect((await f.api('POST', `/payments/${p.id}/cancel`, { body: {} })).status).to.equal(200);
    expectError(await f.api('POST', `/payments/${p.id}/send`, { body: { via: 'salesbot' } }), 409, 'payment_not_payable');
    expect(f.emu.botRuns).to.have.length(0);
  });

  it('refuses a way of sending it does not have (400 invalid_body)', async () => {
    const p = await createLink();
    expectError(await f.api('POST', `/payments/${p.id}/send`, { body: { via: 'whatsapp' } }), 400, 'invalid_body');
  });

  it("gives the ready message in the account's language with the link, and the DRAMLINK_LINK chat-template marker; copying records nothing", async () => {
    const p = await createLink();
    const res = await f.api('GET', `/payments/${p.id}/message`);
    expect(res.status).to.equal(200);
    const view = paymentMessageSchema.parse(res.body);
    expect(view.text).to.contain(p.link);
    expect(view.text).to.match(/4\D?500/);
    expect(view.templateMarker === null || /^\{\{lead\.cf\.\d+\}\}$/.test(view.templateMarker)).to.equal(true);
    expect(view.salesbotConfigured).to.equal(false);
    expect(await sentAudits(p.id)).to.have.length(0);
  });

  it("does not give another account's payment", async () => {
    const p = await createLink();
    const other = await f.addAccount();
    expectError(await f.api('GET', `/payments/${p.id}/message`, { token: other.token() }), 404, 'payment_not_found');
    expectError(
      await f.api('POST', `/payments/${p.id}/send`, { token: other.token(), body: { via: 'salesbot' } }),
      404,
      'payment_not_found',
    );
  });
});
