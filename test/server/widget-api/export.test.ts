import { expect } from 'chai';
import { finishSandboxCheckout, openSandboxCheckout, startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

describe('widget API: GET /exports/payments.csv', () => {
  let f: WidgetFixture;
  let leadId: number;
  beforeEach(async () => {
    f = await startWidgetFixture();
    leadId = f.emu.addLead(f.accountId, { price: 100 }).id;
  });
  afterEach(() => f.close());

  async function csv(query: string, admin = true) {
    const res = await fetch(`${f.t.url}/api/v1/exports/payments.csv${query}`, { headers: { 'X-Auth-Token': f.token({ admin }) } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  it('exports a paid payment with its provider references for the admin', async () => {
    const p = (await f.api('POST', `/leads/${leadId}/payments`, { body: { amountMinor: 250000 } })).body.payment;
    await finishSandboxCheckout(f, await openSandboxCheckout(f, p.link), 'pay');
    const res = await csv('');
    expect(res.status).to.equal(200);
    expect(res.type).to.match(/^text\/csv/);
    const [header, line, ...rest] = res.text.trim().split('\r\n');
    expect(rest).to.deep.equal([]);
    expect(header.split(',')).to.include.members([
      'lead_id',
      'payment_id',
      'provider_order_no',
      'provider_payment_id',
      'paid_at',
      'refunded_amount',
      'crm_sync',
    ]);
    expect(line).to.match(new RegExp(`^${leadId},${p.id},sandbox,sbx-\\w+,ses_[\\w-]+,2500\\.00,AMD,paid,`));
  });

  it('refuses managers: the export is for admins', async () => {
    expect((await csv('', false)).status).to.equal(403);
  });

  it('names a malformed date instead of exporting everything', async () => {
    const res = await csv('?from=yesterday');
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.text).error.code).to.equal('invalid_from');
  });

  it("does not export another account's payments", async () => {
    const other = await f.addAccount();
    await f.api('POST', `/leads/${leadId}/payments`, { body: { amountMinor: 1000 } });
    const res = await fetch(`${f.t.url}/api/v1/exports/payments.csv`, { headers: { 'X-Auth-Token': other.token({ admin: true }) } });
    expect(res.status).to.equal(200);
    expect((await res.text()).trim().split('\r\n')).to.have.length(1);
  });
});
