import { expect } from 'chai';
import type { PaymentView } from '../../../shared/api.ts';
import { renderPanel } from '../../../widget/src/panel/render-panel.ts';
import { leadResponse, paidPayment, payment, readyState, translator } from '../fixtures.ts';

const t = translator('en');
const html = (payments: PaymentView[], over: Parameters<typeof leadResponse>[1] = {}, state: Parameters<typeof readyState>[1] = {}) =>
  renderPanel(readyState(leadResponse(payments, over), state), t);
const hold = { attemptId: 'att_1', amountMinor: 190000, currency: 'AMD', captureMode: 'manual', since: '2030-01-01T10:40:00.000Z' };

describe('panel statuses (issue 13, items 3 and 5)', () => {
  it('calls a cancelled link Cancelled, not Expired, and a truly expired one Expired', () => {
    const cancelled = html([payment({ status: 'cancelled', crmStatus: 'expired' })]);
    expect(cancelled).to.include('drl-b-cancelled">Cancelled<').and.not.include('>Expired<');
    expect(html([payment({ status: 'expired', crmStatus: 'expired' })])).to.include('drl-b-expired">Expired<');
    // Paid after cancel needs a person: review wins.
    const reviewed = payment({ status: 'paid', crmStatus: 'manual_review', needsReview: { reason: 'paid_after_cancel', since: 'x' } });
    expect(html([reviewed])).to.include('drl-b-manual_review');
  });

  it('shows "Valid until" only while the link can be paid', () => {
    expect(html([payment()])).to.include('Valid until');
    expect(html([paidPayment()])).to.not.include('Valid until');
  });

  it("shows the status badge once; the lead's own status only when an older payment makes it differ", () => {
    const single = html([payment(), paidPayment({ id: 'pay_0' })], { isAdmin: false });
    expect(single.match(/drl-b-awaiting_payment/g)).to.have.length(1);
    expect(single).to.not.include('Lead status');
    const review = paidPayment({ id: 'pay_0', crmStatus: 'manual_review', needsReview: { reason: 'double_payment', since: 'x' } });
    const data = leadResponse([payment(), review]);
    data.crmStatus = 'manual_review';
    expect(renderPanel(readyState(data), t)).to.include('Lead status: <span class="drl-badge drl-b-manual_review">');
  });

  it('warns that an earlier link can still be paid instead of hiding it under "Earlier payments"', () => {
    expect(html([payment({ id: 'pay_2' }), payment()])).to.include('1 earlier link(s) can still be paid');
  });

  it('says what "Check status" would ask: nothing to offer when no provider session exists, or only Idram (no status API)', () => {
    expect(html([payment({ attempts: [] })])).to.not.include('data-action="refresh"');
    const idram = {
      id: 'a',
      provider: 'idram' as const,
      providerOrderNo: '1',
      providerPaymentId: null,
      status: 'pending' as const,
      amountMinor: 1,
      createdAt: 'x',
      updatedAt: 'x',
    };
    expect(html([payment({ attempts: [idram] })])).to.not.include('data-action="refresh"');
    const telcellNoInvoice = { ...idram, provider: 'telcell' as const, status: 'created' as const };
    expect(html([payment({ attempts: [telcellNoInvoice] })])).to.not.include('data-action="refresh"');
    expect(html([payment({ attempts: [{ ...telcellNoInvoice, status: 'pending' }] })])).to.include('data-action="refresh"');
  });
});

describe('panel history in words (issue 13, item 7)', () => {
  it('says how a link was marked as sent and what amounts mean, never raw codes', () => {
    const p = paidPayment({ refundedAmountMinor: 50000, status: 'partially_refunded', crmStatus: 'partial_refund' });
    p.history = [
      { at: '2030-01-01T10:00:00Z', actor: 'user:7', action: 'resent', details: { channel: 'sms' } },
      {
        at: '2030-01-01T10:01:00Z',
        actor: 'provider:sandbox',
        action: 'attempt_failed',
        details: { attemptId: 'att_9', rawStatus: 'payment.failed' },
      },
      {
        at: '2030-01-01T10:02:00Z',
        actor: 'user:7',
        action: 'partially_refunded',
        details: { amountMinor: 50000, refundedTotalMinor: 50000, refundId: 'r' },
      },
      { at: '2030-01-01T10:03:00Z', actor: 'system', action: 'something_new', details: {} },
    ];
    const out = renderPanel(readyState(leadResponse([p])), t);
    expect(out).to.include('Marked as sent').and.include('(SMS)');
    expect(out).to.include('(refunded 500\u00a0AMD, 500\u00a0AMD in total)');
    expect(out).to.include('Other change');
    expect(out).to.not.match(/\(sms\)|payment\.failed|att_9|something_new/);
  });
});

describe('panel layout and accessibility (issue 13, items 3 and 9)', () => {
  it('keeps a provider reference in the history on one line, even when it has hyphens (a line may not break inside it)', () => {
    const p = paidPayment();
    p.history = [
      {
        at: '2030-01-01T10:00:00Z',
        actor: 'provider:sandbox',
        action: 'paid',
        details: { amountMinor: 190000, providerRef: 'ses_b_ypBQoW87-KtNo<x>' },
      },
    ];
    const out = renderPanel(readyState(leadResponse([p])), t);
    expect(out).to.include('reference <span class="drl-nw">ses_b_ypBQoW87-KtNo&lt;x&gt;</span>');
  });

  it('keeps dates, amounts and names whole (no break-all), with the label above its value', () => {
    const out = html([paidPayment()]);
    expect(out).to.match(/<dt>Created<\/dt><dd><span class="drl-nw">[^<]+<\/span> · <span class="drl-nw">/);
    expect(out).to.include('<dd class="drl-ref">RRN-123</dd>');
  });

  it('ties a create-form error to its input and hides decorative arrows from screen readers', () => {
    const out = html(
      [payment(), paidPayment({ id: 'pay_0' })],
      {},
      { createOpen: true, createErrors: { amount: { key: 'errors.amount' } } },
    );
    const input = /<input[^>]*data-name="amount"[^>]*>/.exec(out)![0];
    const id = /aria-describedby="([^"]+)"/.exec(input)![1];
    expect(input).to.include('aria-invalid="true"').and.include('aria-required="true"');
    expect(out).to.include(`<div class="drl-error" id="${id}">Enter an amount greater than 0</div>`);
    expect(out).to.include('<span aria-hidden="true">▸</span>');
  });
});

describe('create form (issue 13, items 5 and 6)', () => {
  it('offers to cancel the open link, ticked, when another link is created for the lead', () => {
    const out = html([payment()], {}, { createOpen: true });
    expect(out).to.match(/<input type="checkbox" data-name="replace" checked> Cancel the open link for 1\u00a0900\u00a0AMD/);
  });

  it('offers only the methods that take the chosen currency, and names the others with theirs', () => {
    const ctx = {
      enabledProviders: ['ameriabank', 'idram'] as PaymentView['providers'],
      providerCurrencies: { ameriabank: ['AMD', 'USD'], idram: ['AMD'] },
    } as never;
    const usd = html([], ctx, {
      draft: { amount: '10', currency: 'USD', hours: '72', 'provider.ameriabank': true, 'provider.idram': true },
    });
    expect(usd).to.include('data-name="provider.ameriabank"').and.not.include('data-name="provider.idram"');
    expect(usd).to.include('Idram: only AMD');
  });
});

describe('held funds (two-stage payments)', () => {
  const held = payment({ hold } as never);
  it('says the funds are held and offers Capture and Release to an admin when capture is manual', () => {
    const out = html([held], { isAdmin: true });
    expect(out).to.include('Funds held: 1\u00a0900\u00a0AMD');
    expect(out).to.include('data-action="capture"').and.include('data-action="void"');
    expect(out, 'not "do not ship" while held').to.not.include('Not paid yet');
  });

  it('offers neither to a manager, nor when the bank captures by itself, nor once the server said it cannot', () => {
    expect(html([held], { isAdmin: false })).to.not.include('data-action="capture"');
    expect(html([payment({ hold: { ...hold, captureMode: 'auto' } } as never)], { isAdmin: true })).to.not.include('data-action="capture"');
    expect(html([held], { isAdmin: true }, { noHoldActions: true })).to.not.include('data-action="capture"');
  });

  it('asks before capturing, with the amount', () => {
    const out = html([held], { isAdmin: true }, { confirm: { kind: 'capture', paymentId: 'pay_1' } });
    expect(out).to.include('Take the held 1\u00a0900\u00a0AMD from the customer&#39;s card?').and.include('data-action="capture-yes"');
  });
});
