import { expect } from 'chai';
import type { EventContext } from '../../../../server/sync/outbox.ts';
import { ledgerStrings } from '../../../../server/sync/render/ledger-strings.ts';
import { renderTaskText } from '../../../../server/sync/render/task-text.ts';

const ctx: EventContext = { amountMinor: 150000, currency: 'AMD', actor: 'provider:arca', provider: 'arca' };
const review = {
  exceptionKey: 'needs_review:pay_1:double_payment',
  event: {
    type: 'review_needed',
    reason: 'double_payment',
    attemptId: 'a2',
    firstAttemptId: 'a1',
    amountMinor: 150000,
    providerRef: 'r',
  },
  context: ctx,
} as const;

describe('server/sync/render renderTaskText: task text from the event that opened the exception', () => {
  it('asks a person to check the payment, saying what the review is about', () => {
    expect(renderTaskText(review)).to.equal('Check the dramlink payment of 1\u00a0500\u00a0AMD: the customer paid twice for this payment.');
  });

  it('names the failed refund and the provider reason, not an internal key', () => {
    const text = renderTaskText({
      exceptionKey: 'refund_failed:pay_1:refund_failed:ref_1',
      event: { type: 'refund_failed', refundId: 'ref_1', amountMinor: 5000, message: 'card closed' },
      context: ctx,
    });
    expect(text).to.match(/^The refund of 50\u00a0AMD with ArCa failed \(card closed\)/);
    expect(text).to.not.contain('ref_1');
  });

  it('writes the task in the account language it is given', () => {
    expect(renderTaskText(review, ledgerStrings('ru'))).to.equal(
      'Проверьте платёж dramlink на 1\u00a0500\u00a0AMD: клиент оплатил этот платёж дважды.',
    );
    expect(renderTaskText(review, ledgerStrings('es'))).to.match(/^Revise el pago/);
    expect(renderTaskText(review, ledgerStrings('pt'))).to.match(/^Verifique o pagamento/);
  });

  it('sends a task queued before events were typed with its stored text', () => {
    expect(renderTaskText({ exceptionKey: 'k', text: 'dramlink: check the payment' })).to.equal('dramlink: check the payment');
  });
});
