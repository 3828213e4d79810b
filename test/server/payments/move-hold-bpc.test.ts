import { expect } from 'chai';
import { startWidgetFixture, type WidgetFixture } from '../widget-api/widget-fixture.ts';
import { FakeBpc } from './support/fake-bpc.ts';
import { saveProvider } from '../../support/test-app.ts';

/** BPC (ArCa) two-stage through the real app, the gateway faked at the HTTP client seam: the same hold rules as Ameriabank. */
describe('server/payments: BPC two-stage holds (registerPreAuth.do, deposit.do, reverse.do)', function () {
  this.timeout(20_000);
  let f: WidgetFixture;
  let bpc: FakeBpc;
  afterEach(() => f.close());

  async function held(captureMode: 'auto' | 'manual') {
    f = await startWidgetFixture();
    bpc = new FakeBpc();
    f.intercept = (req) => bpc.handle(req);
    await saveProvider(f.t, f.accountId, {
      provider: 'arca',
      enabled: true,
      mode: 'test',
      credentials: { userName: 'shop_api', password: 'arca-Pa55word', twoStage: true, captureMode },
    });
    const leadId = f.emu.addLead(f.accountId, { price: 1500 }).id;
    const created = await f.api('POST', `/leads/${leadId}/payments`, {
      body: { amountMinor: 150000, currency: 'AMD', providers: ['arca'] },
    });
    const { payment } = created.body;
    const chosen = await fetch(`${payment.link}?lang=en`, {
      method: 'POST',
      body: new URLSearchParams({ provider: 'arca' }),
      redirect: 'manual',
    });
    expect(chosen.status).to.equal(303);
    bpc.customerPays(bpc.lastOrderId);
    const page = await (await fetch(bpc.returnUrl(bpc.lastOrderId))).text();
    const view = async () => (await f.api('GET', `/leads/${leadId}/payments`)).body.payments[0];
    return { paymentId: payment.id as string, page, view };
  }

  it('auto: registers with registerPreAuth.do, captures the hold once with deposit.do, paid when the gateway reports orderStatus 2', async () => {
    const h = await held('auto');
    expect(h.page).to.contain('Payment received');
    expect(bpc.calls.filter((c) => c === 'registerPreAuth')).to.have.length(1);
    expect(bpc.calls.filter((c) => c === 'deposit')).to.have.length(1);
    expect(await h.view()).to.include({ status: 'paid', hold: null });
  });

  it('manual: the hold waits for an admin; cancelling the payment releases it with reverse.do', async () => {
    const h = await held('manual');
    const waiting = await h.view();
    expect(waiting.hold).to.include({ captureMode: 'manual', amountMinor: 150000 });
    expect(bpc.calls).to.not.include('deposit');
    const cancelled = await f.api('POST', `/payments/${h.paymentId}/cancel`, { body: {} });
    expect(cancelled.body.payment).to.include({ status: 'cancelled', hold: null });
    expect(bpc.calls.filter((c) => c === 'reverse')).to.have.length(1);
  });
});
