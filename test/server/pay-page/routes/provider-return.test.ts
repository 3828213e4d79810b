import { expect } from 'chai';
import { applyProviderFact } from '../../../../server/payments/apply-provider-fact.ts';
import { loadAttempts } from '../../../../server/payments/load-payment.ts';
import { seedAccount, startTestApp, type TestApp } from '../../../support/test-app.ts';
import { choose, newPayment } from '../pay-page-fixture.ts';

const ACCOUNT = 1001;
const IDRAM = { recAccount: '110000601', secretKey: 'idram-secret-key' };
const TELCELL = { shopId: 'shop@example.am', shopKey: 'telcell-shop-key' };

/** The attempt cookie the pay page set when the customer chose a provider ("name=value"); the language cookie may come too. */
const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('dramlink_attempt=')) ?? '';

describe("pay page: Idram's and Telcell's fixed return URLs", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await seedAccount(t, { id: ACCOUNT, providers: { idram: IDRAM, telcell: TELCELL } });
  });
  afterEach(() => t.close());

  /** A payment with an Idram or Telcell attempt the customer opened (the auto-posted form). */
  async function opened(provider: 'idram' | 'telcell') {
    const payment = await newPayment(t, ACCOUNT, { providers: [provider] });
    const chosen = await choose(t, payment.linkToken, provider);
    expect(chosen.status).to.equal(200);
    const [attempt] = await t.store.run((tx) => loadAttempts(tx, payment.id));
    return { payment, attempt, cookie: cookieOf(chosen) };
  }
  const get = (path: string, cookie?: string) => fetch(`${t.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const paid = (attemptId: string, orderNo: string) =>
    applyProviderFact(t.app.services.ledger, {
      attemptId,
      fact: { status: 'paid', amountMinor: 150000, currency: 'AMD', providerOrderNo: orderNo, rawStatus: 'confirmed' },
      actor: 'provider:idram',
    });

  it('Idram, the browser that paid (its cookie): the bill number leads to the payment’s own verified return page', async () => {
    const { payment, attempt, cookie } = await opened('idram');
    expect(cookie).to.match(/^dramlink_attempt=att_/);
    await paid(attempt.id, attempt.providerOrderNo);
    const back = await get(`/pay/return/idram/${ACCOUNT}/success?EDP_BILL_NO=${attempt.providerOrderNo}&lang=en`, cookie);
    expect(back.status).to.equal(303);
    const location = back.headers.get('location')!;
    expect(location).to.equal(`/pay/${payment.linkToken}/return?attempt=${attempt.id}&lang=en`);
    expect(await (await get(location)).text()).to.contain('Payment received');
  });

  it('Idram, any other browser (a guessed bill number): the verified state only, never the amount, description or link', async () => {
    const { payment, attempt } = await opened('idram');
    const pending = await get(`/pay/return/idram/${ACCOUNT}/success?EDP_BILL_NO=${attempt.providerOrderNo}&lang=en`);
    const html = await pending.text();
    expect(pending.status).to.equal(200);
    expect(html).to.contain('Payment is being processed');
    expect(html).to.not.contain(payment.linkToken);
    expect(html).to.not.contain('Deposit for order 55');
    expect(html).to.not.contain('class="amount"');
    await paid(attempt.id, attempt.providerOrderNo);
    expect(await (await get(`/pay/return/idram/${ACCOUNT}/success?EDP_BILL_NO=${attempt.providerOrderNo}&lang=en`)).text()).to.contain(
      'Payment received',
    );
  });

  it("Idram's FAIL_URL (a posted form) says the payment did not go through, offers the link again to its browser, and changes nothing", async () => {
    const { payment, attempt, cookie } = await opened('idram');
    const res = await fetch(`${t.url}/pay/return/idram/${ACCOUNT}/fail?lang=en`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ EDP_BILL_NO: attempt.providerOrderNo }),
    });
    const html = await res.text();
    expect(html).to.contain('The payment did not go through');
    expect(html).to.contain(`/pay/${payment.linkToken}?lang=en`);
    expect((await t.store.run((tx) => loadAttempts(tx, payment.id)))[0].status).to.equal(attempt.status);
  });

  it('Telcell: issuer_id is the attempt id itself (unguessable), so its browser goes to the payment’s return page', async () => {
    const { payment, attempt } = await opened('telcell');
    const issuerId = Buffer.from(attempt.providerOrderNo).toString('base64');
    const back = await get(`/pay/return/telcell/${ACCOUNT}?issuer_id=${encodeURIComponent(issuerId)}&lang=ru`);
    expect(back.status).to.equal(303);
    expect(back.headers.get('location')).to.equal(`/pay/${payment.linkToken}/return?attempt=${attempt.id}&lang=ru`);
  });

  it('an unknown order, provider or account is the not-found page, never an error or a bare OK', async () => {
    for (const path of [
      `/pay/return/idram/${ACCOUNT}/success?EDP_BILL_NO=999&lang=en`,
      `/pay/return/idram/${ACCOUNT}/success?lang=en`,
      `/pay/return/ameriabank/${ACCOUNT}/success?lang=en`,
      `/pay/return/idram/x/success?lang=en`,
      `/pay/return/idram/${ACCOUNT}/maybe?EDP_BILL_NO=1&lang=en`,
    ]) {
      const res = await get(path);
      expect(res.status, path).to.equal(404);
      expect(await res.text(), path).to.contain('Payment link not found');
    }
  });

  it('a browser sent back to the notification URL (an admin who gave Idram the RESULT_URL as SUCCESS_URL) is redirected to the result page', async () => {
    const { attempt } = await opened('idram');
    const res = await get(`/webhooks/idram/${ACCOUNT}?EDP_BILL_NO=${attempt.providerOrderNo}`);
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal(`/pay/return/idram/${ACCOUNT}?EDP_BILL_NO=${attempt.providerOrderNo}`);
  });
});
