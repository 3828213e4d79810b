import { expect } from 'chai';
import { CRM_STATUSES } from '../../../shared/crm-status.ts';
import { esc } from '../../../widget/src/html.ts';
import { initialPanelState } from '../../../widget/src/panel/panel-state.ts';
import { renderPanel } from '../../../widget/src/panel/render-panel.ts';
import { LOCALES, leadResponse, localeFile, paidPayment, payment, readyState, translator } from '../fixtures.ts';

const t = translator('en');

describe('renderPanel', () => {
  it('escapes a description, reference and actor instead of injecting their markup into the card', () => {
    const evil = '<img src=x onerror="alert(1)">';
    const html = renderPanel(
      readyState(leadResponse([paidPayment({ description: evil, providerRef: `"><script>x()</script>`, createdBy: '<b>bob</b>' })])),
      t,
    );
    expect(html).to.not.include('<img');
    expect(html).to.not.include('<script');
    expect(html).to.not.include('<b>bob');
    expect(html).to.include('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it("never shows the server's English message: a code it knows in the user's language, else by status", () => {
    const state = (code: string, status = 500) => ({
      ...initialPanelState('ru', 'http://x'),
      phase: 'error' as const,
      error: { status, code, message: '<svg onload=1> telcell cannot take payments in USD.' },
    });
    const ru = translator('ru');
    for (const html of [renderPanel(state('internal'), ru), renderPanel(state('provider_currency_unsupported', 400), ru)]) {
      expect(html).to.not.include('svg').and.not.include('cannot take');
    }
    expect(renderPanel(state('provider_currency_unsupported', 400), ru)).to.include('не принимает эту валюту');
    expect(renderPanel(state('telcell_unreachable', 502), ru)).to.include('Telcell сейчас недоступен');
    expect(renderPanel(state('never_heard_of', 503), ru)).to.include('Платёжный сервер сейчас не смог');
  });

  for (const code of LOCALES) {
    it(`shows each of the seven CRM statuses as a badge with its ${code} label, not the raw key`, () => {
      const labels = localeFile(code).status as Record<string, string>;
      for (const status of CRM_STATUSES) {
        const html = renderPanel(readyState(leadResponse([payment({ crmStatus: status })])), translator(code));
        expect(html).to.include(`drl-b-${status}`);
        expect(html).to.include(esc(labels[status]));
        expect(html).to.not.include(`status.${status}`);
      }
    });
  }

  it('hides Refund from a manager who is not an admin', () => {
    const html = renderPanel(readyState(leadResponse([paidPayment()], { isAdmin: false })), t);
    expect(html).to.not.include('data-action="refund"');
  });

  it('offers Refund to an admin on a paid payment', () => {
    const html = renderPanel(readyState(leadResponse([paidPayment()], { isAdmin: true })), t);
    expect(html).to.include('data-action="refund"');
  });

  it('offers no Refund once everything paid was refunded', () => {
    const p = paidPayment({ status: 'refunded', crmStatus: 'full_refund', refundedAmountMinor: 190000 });
    expect(renderPanel(readyState(leadResponse([p], { isAdmin: true })), t)).to.not.include('data-action="refund"');
  });

  it('offers Resend and Cancel only while the link can still be paid', () => {
    const open = renderPanel(readyState(leadResponse([payment()])), t);
    expect(open).to.include('data-action="resend"').and.include('data-action="cancel"');
    const paid = renderPanel(readyState(leadResponse([paidPayment()])), t);
    expect(paid).to.not.include('data-action="resend"');
    expect(paid).to.not.include('data-action="cancel"');
    expect(paid).to.include('data-action="refresh"');
  });

  it('shows the link with Copy while it can be paid, and not once it is closed', () => {
    expect(renderPanel(readyState(leadResponse([payment()])), t))
      .to.include('value="http://localhost:3000/pay/tok_1"')
      .and.include('data-action="copy"');
    expect(renderPanel(readyState(leadResponse([paidPayment()])), t)).to.not.include('data-action="copy"');
  });

  it('shows the exceptions banner with what to do', () => {
    const html = renderPanel(
      readyState(
        leadResponse([payment()], {
          exceptions: [
            {
              id: 'e1',
              kind: 'needs_review',
              paymentId: 'pay_1',
              leadId: 42,
              message: 'Paid twice',
              action: 'Check',
              since: '2030-01-01T00:00:00Z',
            },
            {
              id: 'e2',
              kind: 'sync_failing',
              paymentId: null,
              leadId: null,
              message: 'amoCRM 403',
              action: 'Check',
              since: '2030-01-01T00:00:00Z',
            },
          ],
        }),
      ),
      t,
    );
    expect(html).to.include('drl-exceptions');
    expect(html).to.include(esc((localeFile('en').exceptions as Record<string, string>).needs_review));
    expect(html).to.include('Paid twice').and.include('amoCRM 403');
  });

  it("keeps another lead's exception off this card", () => {
    const html = renderPanel(
      readyState(
        leadResponse([payment()], {
          exceptions: [{ id: 'e1', kind: 'needs_review', paymentId: 'p9', leadId: 99, message: 'other lead', action: 'x', since: 'x' }],
        }),
      ),
      t,
    );
    expect(html).to.not.include('other lead');
    expect(html).to.not.include('drl-exceptions');
  });

  it('says the account needs reconnecting when the context says so', () => {
    const html = renderPanel(readyState(leadResponse([], { accountState: 'needs_reconnect' })), t);
    expect(html).to.include(esc((localeFile('en').exceptions as Record<string, string>).account_needs_reconnect));
  });

  it('shows loading while the one request is in flight', () => {
    expect(renderPanel(initialPanelState('en', 'http://x'), t)).to.include('Loading payments');
  });

  it('shows the empty state with the create form prefilled from the lead price, currency, providers and TTL', () => {
    const html = renderPanel(readyState(leadResponse([], { leadPriceMinor: 250050, defaultCurrency: 'USD', linkTtlHours: 48 })), t);
    expect(html).to.include('No payment links for this lead yet');
    expect(html).to.include('data-name="amount" inputmode="decimal" autocomplete="off" value="2500.5"');
    expect(html).to.match(/<option value="USD" selected>/);
    expect(html).to.include('data-name="hours" inputmode="numeric" autocomplete="off" value="48"');
    expect(html).to.include('data-name="provider.ameriabank" checked').and.include('data-name="provider.idram" checked');
  });

  it('disables Create and says why when no provider is enabled', () => {
    const html = renderPanel(readyState(leadResponse([], { enabledProviders: [] })), t);
    expect(html).to.include('No payment provider is enabled');
    expect(html).to.match(/data-action="create-submit"[^>]* disabled/);
  });

  it('gives the reconnect hint on 409 account_not_connected', () => {
    const html = renderPanel(
      { ...initialPanelState('en', 'http://x'), phase: 'error', error: { status: 409, code: 'account_not_connected', message: '' } },
      t,
    );
    expect(html).to.include('installs the widget again');
    expect(html).to.include('data-action="reload"');
  });

  it('names the server address when it cannot be reached', () => {
    const html = renderPanel(
      { ...initialPanelState('en', 'https://pay.example'), phase: 'error', error: { status: 0, code: 'network', message: '' } },
      t,
    );
    expect(html).to.include('https://pay.example');
  });

  it('warns not to release goods while an attempt is pending', () => {
    const p = payment({ attempts: [{ ...paidPayment().attempts[0], status: 'pending' }] });
    expect(renderPanel(readyState(leadResponse([p])), t)).to.include('do not release goods');
  });

  it('shows attempts, paid-at, provider reference and localized history', () => {
    const html = renderPanel(readyState(leadResponse([paidPayment()])), t);
    expect(html).to.include('Ameriabank').and.include('PID-9').and.include('RRN-123');
    expect(html).to.include('Paid at').and.include('Link created');
  });

  it('says which Salesbot sent the link, who started it and when', () => {
    const p = payment();
    p.history = [
      ...p.history,
      { at: '2026-03-01T10:00:00.000Z', actor: 'user:12', action: 'sent', details: { via: 'salesbot', botId: 7001 } },
    ];
    const html = renderPanel(readyState(leadResponse([p])), t);
    expect(html).to.match(/Sent by Salesbot · <span class="drl-nw">[^<]+<\/span> <span class="drl-muted">\(Salesbot #7001\)<\/span>/);
  });

  it('lists older payments collapsed until the manager opens one', () => {
    const older = paidPayment({ id: 'pay_0', description: 'Older deposit' });
    const data = leadResponse([payment(), older]);
    const closed = renderPanel(readyState(data), t);
    expect(closed).to.include('Earlier payments (1)').and.include('aria-expanded="false"');
    expect(closed).to.not.include('Older deposit');
    expect(renderPanel(readyState(data, { expanded: ['pay_0'] }), t)).to.include('Older deposit');
  });

  it('asks before cancelling and before refunding', () => {
    const p = paidPayment();
    const cancel = renderPanel(readyState(leadResponse([payment()]), { confirm: { kind: 'cancel', paymentId: 'pay_1' } }), t);
    expect(cancel).to.include('Cancel the link for 1\u00a0900\u00a0AMD?').and.include('data-action="cancel-yes"');
    const refund = renderPanel(
      readyState(leadResponse([p], { isAdmin: true }), { confirm: { kind: 'refund-confirm', paymentId: 'pay_1', amountMinor: 50000 } }),
      t,
    );
    expect(refund).to.include('Refund 500\u00a0AMD to the customer?').and.include('data-action="refund-yes"');
  });

  it('renders no named inputs and no <form>, which amoCRM would serialize or drop', () => {
    const html = renderPanel(readyState(leadResponse([paidPayment()], { isAdmin: true }), { createOpen: true }), t);
    expect(html).to.not.match(/<form|\sname="/);
  });
});

describe('history labels', () => {
  it("has a label in every locale for every action the ledger writes to a payment's history", () => {
    const actions = [
      'created',
      'resent',
      'attempt_opened',
      'attempt_pending',
      'attempt_failed',
      'attempt_expired',
      'attempt_cancelled',
      'paid',
      'expired',
      'cancelled',
      'refund_requested',
      'refunded',
      'partially_refunded',
      'refund_failed',
      'refund_unknown',
      'double_payment',
      'paid_after_expiry',
      'paid_after_cancel',
      'amount_mismatch',
      'currency_mismatch',
      'refund_exceeds_paid',
      'provider_unclear',
    ];
    for (const lang of ['en', 'ru', 'es', 'pt']) {
      const history = localeFile(lang).history as Record<string, string>;
      for (const a of actions) expect(history[a], `${lang}: history.${a}`).to.be.a('string').and.not.empty;
    }
  });
});

describe('history actors', () => {
  afterEach(() => {
    delete (globalThis as { APP?: unknown }).APP;
  });

  it("shows a manager's name from amoCRM's managers constant instead of a user id, and names providers", () => {
    (globalThis as { APP?: unknown }).APP = {
      constant: (k: string) => (k === 'managers' ? { '77': { id: 77, title: 'Anna Admin' } } : undefined),
    };
    const p = paidPayment();
    p.history = [
      { at: '2030-01-01T00:00:00Z', actor: 'user:77', action: 'created', details: {} },
      { at: '2030-01-01T00:01:00Z', actor: 'provider:idram', action: 'paid', details: {} },
      { at: '2030-01-01T00:02:00Z', actor: 'customer', action: 'attempt_opened', details: {} },
    ];
    const html = renderPanel(readyState(leadResponse([p])), translator('en'));
    expect(html).to.include('Anna Admin');
    expect(html).to.not.include('user:77');
    expect(html).to.include('<span class="drl-nw">Idram</span>');
    expect(html).to.include('<span class="drl-nw">customer</span>');
  });
});
