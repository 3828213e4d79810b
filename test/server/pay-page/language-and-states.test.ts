import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { STRINGS } from '../../../server/pay-page/strings.ts';
import { choosePage, formatDate } from '../../../server/pay-page/templates.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';
import { choose, newPayment } from './pay-page-fixture.ts';

const view = {
  merchant: 'Shop',
  amountMinor: 150000,
  currency: 'AMD',
  description: null,
  expiresAt: Date.UTC(2026, 11, 1, 14, 18),
  paidAt: null,
};
const frame = (lang: 'hy' | 'ru' | 'en') => ({ lang, t: STRINGS[lang], title: 't', here: '/pay/tok' });

describe('pay page: language switcher, remembered language, times and closed states', () => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp();
    accountId = await seedAccount(t);
  });
  afterEach(() => t.close());

  it('lets a customer whose browser speaks German switch between Armenian, Russian and English', async () => {
    const p = await newPayment(t, accountId);
    const html = await (await fetch(`${t.url}/pay/${p.linkToken}`, { headers: { 'accept-language': 'de-DE,de' } })).text();
    expect(html).to.contain('<html lang="hy">');
    expect(html).to.match(/<nav class="langs" aria-label="Լեզու">/);
    expect(html).to.contain(`<a lang="ru" hreflang="ru" href="/pay/${p.linkToken}?lang=ru">Русский</a>`);
    expect(html).to.contain(`<a lang="en" hreflang="en" href="/pay/${p.linkToken}?lang=en">English</a>`);
    expect(html).to.contain('<a lang="hy" aria-current="true">Հայերեն</a>');
  });

  it('remembers the language picked last, and the return page speaks it even when the return URL names another', async () => {
    const p = await newPayment(t, accountId);
    const picked = await fetch(`${t.url}/pay/${p.linkToken}?lang=ru`);
    const cookie = picked.headers.get('set-cookie')!;
    expect(cookie).to.match(/^dramlink_lang=ru; Path=\/pay; Max-Age=\d+; SameSite=Lax; HttpOnly/);
    const again = await fetch(`${t.url}/pay/${p.linkToken}`, { headers: { cookie: 'dramlink_lang=ru', 'accept-language': 'en' } });
    expect(await again.text()).to.contain('<html lang="ru">');
    // The first session was opened in Armenian; the customer then switched to English and came back through it.
    expect((await choose(t, p.linkToken, 'sandbox', 'hy')).status).to.equal(303);
    const back = await fetch(`${t.url}/pay/${p.linkToken}/return?lang=hy`, { headers: { cookie: 'dramlink_lang=en' } });
    const html = await back.text();
    expect(html).to.contain('<html lang="en">');
    expect(html).to.contain(`href="/pay/${p.linkToken}/return?lang=ru"`);
    expect(back.headers.get('set-cookie'), 'a provider return does not overwrite the choice').to.equal(null);
  });

  it('writes "Pay with" the Armenian way (Idram-ով) and lists the cards a bank takes on their own line', () => {
    const hy = choosePage(frame('hy'), view, ['idram', 'ameriabank'], 'tok');
    expect(hy).to.contain('Վճարել Idram-ով</button>');
    expect(hy).to.contain('Վճարել Ameriabank-ով<span class="cards">Visa, Mastercard, ArCa</span>');
    expect(choosePage(frame('ru'), view, ['idram'], 'tok')).to.contain('Оплатить через Idram</button>');
    expect(choosePage(frame('en'), view, ['sandbox'], 'tok')).to.contain('Pay with Sandbox<span class="cards">test payment</span>');
  });

  it("says which clock a time is on: Yerevan's, with its offset", () => {
    expect(formatDate(view.expiresAt, 'en', STRINGS.en)).to.match(/18:18 \(Yerevan time, GMT\+4\)$/);
    expect(formatDate(view.expiresAt, 'ru', STRINGS.ru)).to.match(/18:18 \(по времени Еревана, GMT\+4\)$/);
    expect(choosePage(frame('hy'), view, [], 'tok')).to.contain('Երևանի ժամանակով, GMT+4');
  });

  it('tells a customer whose payment was refunded that the money went back, not "already paid, thank you"', async () => {
    const p = await newPayment(t, accountId);
    const { db } = t;
    const { payments } = db.t;
    await db
      .update(payments)
      .set({ status: 'refunded', paidAt: t.clock.now(), paidAmountMinor: 150000, refundedAmountMinor: 150000 })
      .where(eq(payments.id, p.id));
    const html = await (await fetch(`${t.url}/pay/${p.linkToken}?lang=en`)).text();
    expect(html).to.contain('This payment was refunded').and.contain('Refunded: 1\u00a0500\u00a0AMD');
    expect(html).to.not.contain('Thank you').and.not.contain('name="provider"');
    await db.update(payments).set({ status: 'partially_refunded', refundedAmountMinor: 50000 }).where(eq(payments.id, p.id));
    const partly = await (await fetch(`${t.url}/pay/${p.linkToken}?lang=ru`)).text();
    expect(partly).to.contain('Счёт оплачен, часть суммы возвращена').and.contain('Возвращено: 500\u00a0AMD');
  });

  it('hides the decorative state icon from screen readers and gives controls the page font', async () => {
    const p = await newPayment(t, accountId);
    const { db } = t;
    const { payments } = db.t;
    await db.update(payments).set({ status: 'paid', paidAt: t.clock.now(), paidAmountMinor: 150000 }).where(eq(payments.id, p.id));
    const html = await (await fetch(`${t.url}/pay/${p.linkToken}?lang=en`)).text();
    expect(html).to.contain('<div class="state ok" aria-hidden="true">✓</div>');
    expect(html).to.match(/button,\.btn\{[^}]*font:inherit/);
  });
});
