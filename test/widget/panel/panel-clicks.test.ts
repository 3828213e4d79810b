import { expect } from 'chai';
import type { PaymentView } from '../../../shared/api.ts';
import { mountPanel, type Mounted } from '../../../widget/src/panel/panel-controller.ts';
import { deferred, fakeApi, fakeLiveEnv, FakeRoot, settle } from '../fake-dom.ts';
import { leadResponse, paidPayment, payment, translator } from '../fixtures.ts';

describe('panel clicks', () => {
  let mounted: Mounted | undefined;
  afterEach(() => mounted?.destroy());

  async function open(payments: PaymentView[], answers: Parameters<typeof fakeApi>[0] = {}, isAdmin = true) {
    const root = new FakeRoot();
    const copied: string[] = [];
    const { api, calls } = fakeApi({ leadPayments: async () => leadResponse(payments, { isAdmin }), ...answers });
    mounted = mountPanel({
      api,
      t: translator(),
      leadId: 42,
      locale: 'en',
      serverUrl: 'http://srv',
      root: root.asElement(),
      copy: async (text) => (copied.push(text), true),
      env: fakeLiveEnv(),
    });
    await settle();
    return { root, calls, copied };
  }

  it('opens the card with exactly one request', async () => {
    const { calls, root } = await open([payment()]);
    expect(calls.map((c) => c.method)).to.deep.equal(['leadPayments']);
    expect(root.innerHTML).to.contain('Tour deposit');
  });

  it('sends a payment action once even when clicked twice while the first is in flight', async () => {
    const answer = deferred<PaymentView>();
    const { root, calls } = await open([payment()], { refresh: () => answer.promise });
    root.click('refresh', 'pay_1');
    root.click('refresh', 'pay_1');
    answer.resolve(payment());
    await settle();
    expect(calls.filter((c) => c.method === 'refresh')).to.have.length(1);
    expect(root.slot.innerHTML).to.contain('drl-ok');
  });

  it('cancels only after the confirmation, and shows the payment the server returned', async () => {
    const { root, calls } = await open([payment()], { cancel: async () => payment({ status: 'cancelled', crmStatus: 'expired' }) });
    root.click('cancel', 'pay_1');
    expect(calls.some((c) => c.method === 'cancel')).to.equal(false);
    root.click('cancel-yes', 'pay_1');
    await settle();
    expect(calls.filter((c) => c.method === 'cancel').map((c) => c.args)).to.deep.equal([['pay_1']]);
    expect(root.innerHTML).to.not.contain('data-action="cancel"');
  });

  it('refunds the confirmed amount, and nothing when the confirmation is for another payment', async () => {
    const { root, calls } = await open([paidPayment({ id: 'pay_2' }), paidPayment()], {
      refund: async () => paidPayment({ status: 'partially_refunded' }),
    });
    root.click('refund-yes', 'pay_1');
    root.click('refund', 'pay_1');
    const block = { querySelectorAll: () => [{ type: 'text', value: '500', getAttribute: () => 'refund_amount' }] };
    root.click('refund-next', 'pay_1', { '[data-form="refund"]': block });
    root.click('refund-yes', 'pay_2');
    expect(calls.some((c) => c.method === 'refund')).to.equal(false);
    root.click('refund-yes', 'pay_1');
    await settle();
    expect(calls.filter((c) => c.method === 'refund').map((c) => c.args)).to.deep.equal([['pay_1', { amountMinor: 50000 }]]);
  });

  it('keeps a refund above what is left on the amount step with an error, sending nothing', async () => {
    const { root, calls } = await open([paidPayment()]);
    root.click('refund', 'pay_1');
    const block = { querySelectorAll: () => [{ type: 'text', value: '999999', getAttribute: () => 'refund_amount' }] };
    root.click('refund-next', 'pay_1', { '[data-form="refund"]': block });
    root.click('refund-yes', 'pay_1');
    await settle();
    expect(calls.some((c) => c.method === 'refund')).to.equal(false);
    expect(root.innerHTML).to.contain('aria-invalid="true"');
    expect(root.focused).to.equal(1);
  });

  it('resent "by copy" puts the link on the clipboard before logging the resend', async () => {
    const { root, calls, copied } = await open([payment()], { resend: async () => payment() });
    const card = { querySelector: () => ({ value: 'copy' }) };
    root.click('resend', 'pay_1', { '[data-payment]': card });
    await settle();
    expect(copied).to.deep.equal(['http://localhost:3000/pay/tok_1']);
    expect(calls.filter((c) => c.method === 'resend').map((c) => c.args)).to.deep.equal([['pay_1', { channel: 'copy' }]]);
  });

  it('copies the link without calling the server, and says so', async () => {
    const { root, calls, copied } = await open([payment()]);
    root.click('copy', 'pay_1');
    await settle();
    expect(copied).to.have.length(1);
    expect(calls).to.have.length(1);
    expect(root.slot.innerHTML).to.contain('drl-ok');
  });

  it('ignores an action on a payment id the card does not show', async () => {
    const { root, calls } = await open([payment()], { refresh: async () => payment() });
    root.click('refresh', 'pay_unknown');
    await settle();
    expect(calls).to.have.length(1);
  });

  it('shows create-form mistakes by their fields instead of sending them', async () => {
    const { root, calls } = await open([]);
    root.click('create-open');
    root.parts['[data-form="create"]'] = {
      querySelectorAll: () => [{ type: 'text', value: 'abc', getAttribute: () => 'amount' }],
    };
    root.click('create-submit');
    await settle();
    expect(calls.some((c) => c.method === 'createPayment')).to.equal(false);
    expect(root.innerHTML).to.contain('aria-invalid="true"');
  });

  it('expands and folds an older payment on toggle', async () => {
    const { root } = await open([payment({ id: 'pay_2' }), payment({ id: 'pay_1', description: 'Older one' })]);
    expect(root.innerHTML).to.not.contain('Older one');
    root.click('toggle', 'pay_1');
    expect(root.innerHTML).to.contain('Older one');
    root.click('toggle', 'pay_1');
    expect(root.innerHTML).to.not.contain('Older one');
  });

  /** The create form as collectValues reads it: amount, currency, hours, the method, and "cancel the open link". */
  const createForm = (replace: boolean) => ({
    querySelectorAll: () =>
      [
        ['amount', '100', 'text'],
        ['currency', 'AMD', 'text'],
        ['hours', '24', 'text'],
        ['provider.idram', true, 'checkbox'],
        ['replace', replace, 'checkbox'],
      ].map(([name, v, type]) => ({ type, value: typeof v === 'string' ? v : '', checked: v === true, getAttribute: () => name })),
  });

  it('creates the new link first, then cancels the open one the manager asked to cancel, and says both', async () => {
    const old = payment();
    const created = payment({ id: 'pay_new' });
    const { root, calls } = await open([old], {
      createPayment: async () => created,
      cancel: async () => payment({ status: 'cancelled', crmStatus: 'expired' }),
    });
    root.click('create-open');
    root.parts['[data-form="create"]'] = createForm(true);
    root.click('create-submit');
    await settle();
    await settle();
    expect(calls.map((c) => c.method)).to.deep.equal(['leadPayments', 'createPayment', 'cancel']);
    expect(calls[2].args).to.deep.equal(['pay_1']);
    expect(root.slot.innerHTML).to.contain('the previous link is cancelled');
    expect(root.innerHTML).to.contain('drl-b-cancelled');
  });

  it('leaves the open link alone when the manager unticks "cancel"', async () => {
    const { root, calls } = await open([payment()], { createPayment: async () => payment({ id: 'pay_new' }) });
    root.click('create-open');
    root.parts['[data-form="create"]'] = createForm(false);
    root.click('create-submit');
    await settle();
    expect(calls.map((c) => c.method)).to.deep.equal(['leadPayments', 'createPayment']);
  });

  it('says honestly whether "Check status" changed anything', async () => {
    const pending = payment({
      attempts: [
        {
          id: 'a',
          provider: 'arca',
          providerOrderNo: '1',
          providerPaymentId: 'o1',
          status: 'pending',
          amountMinor: 1,
          createdAt: 'x',
          updatedAt: 'x',
        },
      ],
    });
    const same = await open([pending], { refresh: async () => pending });
    same.root.click('refresh', 'pay_1');
    await settle();
    expect(same.root.slot.innerHTML).to.contain('The provider reports no change');
    mounted?.destroy();
    const changed = await open([pending], { refresh: async () => paidPayment() });
    changed.root.click('refresh', 'pay_1');
    await settle();
    expect(changed.root.slot.innerHTML).to.contain('Status updated from the provider');
  });

  it('captures held funds after the confirmation, and drops the buttons when the server has no such route (404)', async () => {
    const held = payment({ hold: { attemptId: 'a', amountMinor: 190000, currency: 'AMD', captureMode: 'manual', since: 'x' } } as never);
    const { root, calls } = await open([held], { capture: () => Promise.reject({ status: 404, code: 'http_404', message: '' }) });
    root.click('capture', 'pay_1');
    expect(
      calls.some((c) => c.method === 'capture'),
      'nothing before the confirmation',
    ).to.equal(false);
    root.click('capture-yes', 'pay_1');
    await settle();
    expect(calls.filter((c) => c.method === 'capture')).to.have.length(1);
    expect(root.innerHTML).to.not.contain('data-action="capture"');
    expect(root.slot.innerHTML).to.contain('cannot capture or release');
  });
});
