import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { accounts } from '../../../server/db/schema.ts';
import { REACH_FACTS } from '../../../server/diagnostics/reach-facts.ts';
import { diagnosticsResponseSchema } from '../../../shared/api.ts';
import { startWidgetFixture, whileTimePasses, type WidgetFixture } from '../widget-api/widget-fixture.ts';

/** doctor's lines for what amoCRM does not document (PayWall, invoice updates, pipeline hooks, Salesbot): assumed, seen, where to correct. */
describe('doctor: the unverified amoCRM facts the invoices, pipeline and Salesbot features rely on', () => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture();
    f.t.sqliteDb.update(accounts).set({ installedBy: f.adminId }).where(eq(accounts.id, f.accountId)).run();
  });
  afterEach(() => f.close());

  const checks = async () => {
    const res = await whileTimePasses(f, () => f.api('GET', '/diagnostics', { admin: true }));
    return diagnosticsResponseSchema.parse(res.body).checks;
  };
  const check = async (name: string) => (await checks()).find((c) => c.name === name)!;
  const sendThroughBot = async () => {
    const bot = f.emu.addSalesbot(f.accountId);
    await f.api('PUT', '/settings', { admin: true, body: { providers: {}, defaultCurrency: 'AMD', linkTtlHours: 72, salesbotId: bot.id } });
    const lead = f.emu.addLead(f.accountId, { price: 100 }).id;
    const p = (await whileTimePasses(f, () => f.api('POST', `/leads/${lead}/payments`, { body: {} }))).body.payment;
    return whileTimePasses(f, () => f.api('POST', `/payments/${p.id}/send`, { body: { via: 'salesbot' } }));
  };

  it('names each assumption as unconfirmed before the account has used the feature', async () => {
    const list = await checks();
    for (const fact of REACH_FACTS) {
      const c = list.find((x) => x.name === `unverified:${fact.topic}`)!;
      expect(c.ok).to.equal(true);
      expect(c.detail).to.contain('not seen in this account yet').and.contain(fact.assumption.slice(0, 30));
    }
  });

  it('fails the Salesbot start when amoCRM refused it last, naming the one file to correct; passes again after a start worked', async () => {
    f.emu.faults.add({ method: 'POST', path: '/api/v2/salesbot/run', status: 400 });
    expect((await sendThroughBot()).status).to.equal(409);
    const failed = await check('unverified:bot_run');
    expect(failed.ok).to.equal(false);
    expect(failed.fix).to.contain('amocrm_validation_failed').and.contain('server/amocrm/endpoints/salesbot.ts');
    f.t.clock.advance(60_000);
    expect((await sendThroughBot()).status).to.equal(200);
    const ok = await check('unverified:bot_run');
    expect(ok.ok).to.equal(true);
    expect(ok.detail).to.match(/lastOkAt just now/);
  });

  it("fails the designer step when amoCRM left its {{lead.id}} unfilled, naming the step's builder; passes once it came filled", async () => {
    const lead = f.emu.addLead(f.accountId, { price: 100 }).id;
    const url = `${f.t.url}/amocrm/salesbot`;
    const step = (leadId: string) => ({ lead_id: leadId, dramlink_step: 'payment_link' });
    expect((await f.emu.sendWidgetRequest(f.accountId, { url, leadId: lead, data: step('{{lead.id}}') })).status).to.equal(200);
    const failed = await check('unverified:salesbot_designer');
    expect(failed.ok).to.equal(false);
    expect(failed.fix).to.contain('lead_id_marker_left_unfilled').and.contain('widget/src/reach/salesbot-steps.ts');
    f.t.clock.advance(1_000);
    await f.emu.sendWidgetRequest(f.accountId, { url, leadId: lead, data: step(String(lead)) });
    const ok = await check('unverified:salesbot_designer');
    expect(ok.ok).to.equal(true);
    expect(ok.detail).to.contain('leadIdMarker filled');
  });
});
