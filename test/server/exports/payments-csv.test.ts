import { expect } from 'chai';
import { applyProviderFact } from '../../../server/payments/apply-provider-fact.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import { openAttempt } from '../../../server/payments/open-attempt.ts';
import { csvCell, paymentCsvLines } from '../../../server/exports/payments-csv.ts';
import { ManualClock } from '../../../server/platform/clock.ts';
import { collect } from '../../support/collect.ts';
import { describeStores, openTestStore, txOf, type StoreKind } from '../../support/stores.ts';

describeStores('reconciliation export', (kind) => {
  async function seed(storeKind: StoreKind) {
    const h = await openTestStore(storeKind);
    const db = await txOf(h);
    const clock = new ManualClock(Date.UTC(2026, 10, 10, 9, 0, 0));
    await db.insert(db.t.accounts).values({ id: 7, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 });
    await db
      .insert(db.t.providerConfigs)
      .values({ accountId: 7, provider: 'arca', enabled: true, mode: 'test', credentialsSealed: 'x', updatedAt: 0 });
    const deps = { store: h, clock };
    const paid = await createPayment(deps, {
      accountId: 7,
      leadId: 300,
      amountMinor: 123456,
      currency: 'AMD',
      providers: ['arca'],
      expiresInHours: 1,
      createdBy: 'user:1',
      publicUrl: 'http://x',
    });
    const a = await openAttempt(deps, { paymentId: paid.id, provider: 'arca', orderNo: (c) => `drl${c}` });
    await applyProviderFact(deps, {
      attemptId: a.id,
      fact: { status: 'paid', amountMinor: 123456, currency: 'AMD', rawStatus: 'deposited', providerPaymentId: 'md-9' },
      actor: 'provider:arca',
    });
    clock.advance(40 * 86_400_000);
    await createPayment(deps, {
      accountId: 7,
      leadId: 301,
      amountMinor: 100,
      currency: 'USD',
      description: '=HYPERLINK("x")',
      providers: ['arca'],
      expiresInHours: 1,
      createdBy: 'user:1',
      publicUrl: 'http://x',
    });
    return h;
  }

  it('lists payments in the range with provider references and amounts in major units', async () => {
    const h = await seed(kind);
    const lines = await collect(paymentCsvLines(h, { accountId: 7, from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) }));
    expect(lines[0]).to.equal(
      'lead_id,payment_id,provider,provider_order_no,provider_payment_id,amount,currency,status,needs_review,paid_at,paid_amount,refunded_amount,created_at,crm_sync',
    );
    expect(lines).to.have.length(2);
    expect(lines[1]).to.match(
      /^300,pay_\w+,arca,drl1,md-9,1234\.56,AMD,paid,,2026-11-10T09:00:00\.000Z,1234\.56,0\.00,2026-11-10T09:00:00\.000Z,pending$/,
    );
    await h.close();
  });

  it('neutralizes cells a spreadsheet would execute as formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).to.equal(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-5')).to.equal("'-5");
    expect(csvCell('a,b')).to.equal('"a,b"');
  });
});
