import { expect } from 'chai';
import { renderNoteText } from '../../../server/sync/render/note-text.ts';
import { and, eq } from 'drizzle-orm';
import { leadPaymentsResponseSchema, paymentSchema } from '../../../shared/api.ts';
import { accounts, syncJobs } from '../../../server/db/schema.ts';
import { LEAD_READ_DEADLINE_MS } from '../../../server/widget-api/lead-price.ts';
import {
  expectError,
  finishSandboxCheckout,
  openSandboxCheckout,
  payThroughSandbox,
  startWidgetFixture,
  type WidgetFixture,
} from './widget-fixture.ts';

/** Every key of the widget API's Payment (openapi.yaml, shared/api.ts), `providers` included. */
const PAYMENT_KEYS = [
  'id',
  'leadId',
  'status',
  'crmStatus',
  'needsReview',
  'amountMinor',
  'currency',
  'description',
  'link',
  'expiresAt',
  'createdAt',
  'createdBy',
  'paidAt',
  'paidAmountMinor',
  'refundedAmountMinor',
  'providerRef',
  'providers',
  'attempts',
  'hold',
  'history',
  'sync',
];

describe('widget API: payments of a lead', () => {
  let f: WidgetFixture;
  let leadId: number;
  beforeEach(async () => {
    f = await startWidgetFixture();
    leadId = f.emu.addLead(f.accountId, { price: 1500 }).id;
  });
  afterEach(() => f.close());

  const create = (body: unknown, lead = leadId, opts: { token?: string } = {}) =>
    f.api('POST', `/leads/${lead}/payments`, { body, ...opts });
  const notesOf = (paymentId: string) =>
    f.t.db
      .select()
      .from(syncJobs)
      .where(and(eq(syncJobs.paymentId, paymentId), eq(syncJobs.kind, 'note')))
      .all()
      .map((j) => renderNoteText(JSON.parse(j.payload)));

  describe('POST /leads/:leadId/payments', () => {
    it("creates a link from the amount in the body, answering the widget API's Payment JSON", async () => {
      const res = await create({ amountMinor: 250000, description: 'Deposit' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const p = paymentSchema.parse(res.body.payment);
      expect(Object.keys(res.body.payment).sort()).to.deep.equal([...PAYMENT_KEYS].sort());
      expect(p).to.deep.include({
        leadId,
        status: 'awaiting',
        crmStatus: 'awaiting_payment',
        needsReview: null,
        amountMinor: 250000,
        currency: 'AMD',
        description: 'Deposit',
        createdBy: `user:${f.managerId}`,
        paidAt: null,
        paidAmountMinor: null,
        refundedAmountMinor: 0,
        providerRef: null,
        providers: ['sandbox'],
        attempts: [],
        hold: null,
      });
      expect(p.link).to.match(new RegExp(`^${f.t.url}/pay/[A-Za-z0-9_-]{20,}$`));
      expect(p.createdAt).to.equal(new Date(f.t.clock.now()).toISOString());
      expect(p.expiresAt).to.equal(new Date(f.t.clock.now() + 72 * 3_600_000).toISOString());
      expect(p.history).to.have.length(1);
      expect(p.history[0]).to.deep.include({ actor: `user:${f.managerId}`, action: 'created' });
      expect(p.sync.state).to.equal('pending');
      // The note names the manager (amoCRM's user list); the history keeps the stable user id.
      const manager = f.account.users.find((u) => u.id === f.managerId)!.name;
      expect(notesOf(p.id)).to.deep.equal([`${manager} created a payment link for 2\u00a0500\u00a0AMD: ${p.link}`]);
      const leadUpdate = f.t.db
        .select()
        .from(syncJobs)
        .where(and(eq(syncJobs.kind, 'lead_update'), eq(syncJobs.leadId, leadId)))
        .get();
      expect(leadUpdate?.state).to.equal('pending');
    });

    it("takes the lead's price from amoCRM when no amount is given (major units → minor, no floats)", async () => {
      const res = await create({});
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.payment.amountMinor).to.equal(150000);
      const fractional = f.emu.addLead(f.accountId, { price: 1999.99 }).id;
      const second = await create({}, fractional);
      expect(second.status, JSON.stringify(second.body)).to.equal(201);
      expect(second.body.payment.amountMinor).to.equal(199999);
    });

    it("uses the account's default currency and link lifetime from the settings", async () => {
      f.t.db
        .update(accounts)
        .set({ settings: JSON.stringify({ defaultCurrency: 'USD', linkTtlHours: 24 }) })
        .where(eq(accounts.id, f.accountId))
        .run();
      const res = await create({ amountMinor: 1000 });
      expect(res.body.payment.currency).to.equal('USD');
      expect(res.body.payment.expiresAt).to.equal(new Date(f.t.clock.now() + 24 * 3_600_000).toISOString());
      const explicit = await create({ amountMinor: 1000, currency: 'EUR', expiresInHours: 2 });
      expect(explicit.body.payment.currency).to.equal('EUR');
      expect(explicit.body.payment.expiresAt).to.equal(new Date(f.t.clock.now() + 2 * 3_600_000).toISOString());
    });

    it('refuses a lead whose price is 0 when no amount is given (amount_required)', async () => {
      const free = f.emu.addLead(f.accountId, { price: 0 }).id;
      const res = await create({}, free);
      expectError(res, 400, 'amount_required');
      expect(res.body.error.details.fields[0].field).to.equal('amountMinor');
    });

    it('refuses a lead that does not exist in amoCRM (lead_not_found), with or without an amount', async () => {
      expectError(await create({}, 987654), 404, 'lead_not_found');
      expectError(await create({ amountMinor: 1000 }, 987654), 404, 'lead_not_found');
    });

    it("refuses another account's lead as not found", async () => {
      const other = await f.addAccount();
      const theirs = f.emu.addLead(other.account.id, { price: 100 }).id;
      expectError(await create({ amountMinor: 1000 }, theirs), 404, 'lead_not_found');
      expectError(await f.api('GET', `/leads/${theirs}/payments`), 404, 'lead_not_found');
    });

    it('names an unknown field (invalid_body)', async () => {
      const res = await create({ amountMinor: 1000, tip: 5 });
      expectError(res, 400, 'invalid_body');
      expect(res.body.error.details.fields).to.deep.equal([
        { field: 'tip', code: 'unknown_field', message: '"tip" is not a field of this request' },
      ]);
      expect(res.body.error.message).to.contain('tip');
    });

    for (const [what, amountMinor] of [
      ['negative', -100],
      ['zero', 0],
      ['fractional', 100.5],
      ['huge', 1e13],
      ['textual', '1000'],
    ] as const) {
      it(`refuses a ${what} amount naming amountMinor (invalid_body)`, async () => {
        const res = await create({ amountMinor });
        expectError(res, 400, 'invalid_body');
        expect(res.body.error.details.fields.map((x: { field: string }) => x.field)).to.deep.equal(['amountMinor']);
      });
    }

    it('refuses an unsupported currency naming currency (invalid_body)', async () => {
      const res = await create({ amountMinor: 1000, currency: 'GBP' });
      expectError(res, 400, 'invalid_body');
      expect(res.body.error.details.fields[0].field).to.equal('currency');
    });

    it('refuses a provider that is not enabled for the account (provider_not_enabled)', async () => {
      expectError(await create({ amountMinor: 1000, providers: ['idram'] }), 400, 'provider_not_enabled');
      expectError(await create({ amountMinor: 1000, providers: ['paypal'] }), 400, 'invalid_body');
    });

    it('refuses a lead id that is not a positive whole number (invalid_lead_id)', async () => {
      expectError(await f.api('POST', '/leads/abc/payments', { body: { amountMinor: 1000 } }), 400, 'invalid_lead_id');
      expectError(await f.api('GET', '/leads/0/payments'), 400, 'invalid_lead_id');
    });

    it('refuses a body that is not JSON (unsupported_media_type)', async () => {
      expectError(
        await f.api('POST', `/leads/${leadId}/payments`, { rawBody: 'amountMinor=5', contentType: 'application/x-www-form-urlencoded' }),
        415,
        'unsupported_media_type',
      );
    });
  });

  describe('GET /leads/:leadId/payments', () => {
    it('answers a lead without payments with its price and the context the panel opens with', async () => {
      const res = await f.api('GET', `/leads/${leadId}/payments`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const body = leadPaymentsResponseSchema.parse(res.body);
      expect(body).to.deep.equal({
        leadId,
        crmStatus: null,
        payments: [],
        context: {
          leadPriceMinor: 150000,
          defaultCurrency: 'AMD',
          linkTtlHours: 72,
          enabledProviders: ['sandbox'],
          providerCurrencies: { sandbox: ['AMD', 'USD', 'EUR', 'RUB'] },
          isAdmin: false,
          accountState: 'active',
          exceptions: [],
        },
      });
      const admin = await f.api('GET', `/leads/${leadId}/payments`, { admin: true });
      expect(admin.body.context.isAdmin).to.equal(true);
    });

    it("lists the lead's payments newest first, with the lead's CRM status from the newest", async () => {
      const first = (await create({ amountMinor: 1000 })).body.payment;
      await payThroughSandbox(f, first.link);
      f.t.clock.advance(60_000);
      const second = (await create({ amountMinor: 2000 })).body.payment;
      const res = await f.api('GET', `/leads/${leadId}/payments`);
      expect(res.status).to.equal(200);
      leadPaymentsResponseSchema.parse(res.body);
      expect(res.body.payments.map((p: { id: string }) => p.id)).to.deep.equal([second.id, first.id]);
      expect(res.body.payments.map((p: { crmStatus: string }) => p.crmStatus)).to.deep.equal(['awaiting_payment', 'paid']);
      expect(res.body.crmStatus).to.equal('awaiting_payment');
      const paid = res.body.payments[1];
      expect(paid.paidAmountMinor).to.equal(1000);
      expect(paid.attempts).to.have.length(1);
      expect(paid.attempts[0]).to.include({ provider: 'sandbox', status: 'paid', amountMinor: 1000 });
      expect(paid.history.map((h: { action: string }) => h.action)).to.deep.equal(['created', 'attempt_opened', 'paid']);
    });

    it('still answers, promptly, when amoCRM cannot be reached, without the lead price', async () => {
      await create({ amountMinor: 1000 });
      const fault = f.emu.faults.add({ path: `/api/v4/leads/${leadId}`, status: 500, times: Infinity });
      const started = Date.now();
      const res = await f.api('GET', `/leads/${leadId}/payments`);
      expect(Date.now() - started).to.be.below(LEAD_READ_DEADLINE_MS + 1_000);
      fault.remove();
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.payments).to.have.length(1);
      expect(res.body.context.leadPriceMinor).to.equal(null);
    });
  });

  describe('notes name the manager', () => {
    it('falls back to the user id when amoCRM cannot list users in time', async () => {
      f.emu.faults.add({ method: 'GET', path: '/api/v4/users', status: 503, times: Infinity });
      const p = (await create({ amountMinor: 1000 })).body.payment;
      expect(notesOf(p.id)[0]).to.match(new RegExp(`^User ${f.managerId} created a payment link`));
    });
  });

  describe('POST /payments/:id/resend', () => {
    it('logs who sent the link again and how, with a note on the lead', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      const res = await f.api('POST', `/payments/${p.id}/resend`, { body: { channel: 'sms' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const last = res.body.payment.history.at(-1);
      expect(last).to.deep.include({ action: 'resent', actor: `user:${f.managerId}`, details: { channel: 'sms' } });
      const manager = f.account.users.find((u) => u.id === f.managerId)!.name;
      expect(notesOf(p.id)).to.include(`${manager} marked the payment link for 10\u00a0AMD as sent by SMS.`);
    });

    it('defaults the channel to copy and refuses an unknown channel', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      const res = await f.api('POST', `/payments/${p.id}/resend`, { body: {} });
      expect(res.body.payment.history.at(-1).details).to.deep.equal({ channel: 'copy' });
      expectError(await f.api('POST', `/payments/${p.id}/resend`, { body: { channel: 'pigeon' } }), 400, 'invalid_body');
    });
  });

  describe('POST /payments/:id/refresh', () => {
    it('runs the sandbox status query and applies a payment whose notification never arrived', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      f.dropWebhooks = true;
      await payThroughSandbox(f, p.link);
      const before = await f.api('GET', `/leads/${leadId}/payments`);
      expect(before.body.payments[0].status).to.equal('awaiting');
      const res = await f.api('POST', `/payments/${p.id}/refresh`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.payment).to.include({ status: 'paid', crmStatus: 'paid', paidAmountMinor: 1000 });
      expect(res.body.payment.history.at(-1)).to.include({ action: 'paid', actor: `user:${f.managerId}` });
    });

    it('answers an unchanged pending payment as it is', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      await openSandboxCheckout(f, p.link);
      const res = await f.api('POST', `/payments/${p.id}/refresh`);
      expect(res.status).to.equal(200);
      expect(res.body.payment.status).to.equal('awaiting');
      expect(res.body.payment.attempts[0].status).to.be.oneOf(['created', 'pending']);
    });

    it('refuses a body on refresh (invalid_body)', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      expectError(await f.api('POST', `/payments/${p.id}/refresh`, { body: { status: 'paid' } }), 400, 'invalid_body');
    });
  });

  describe('POST /payments/:id/cancel', () => {
    it('cancels an unpaid link', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      const res = await f.api('POST', `/payments/${p.id}/cancel`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.payment).to.include({ status: 'cancelled', crmStatus: 'expired' });
      expect(res.body.payment.history.at(-1)).to.include({ action: 'cancelled', actor: `user:${f.managerId}` });
    });

    it('refuses to cancel a paid payment (409 payment_already_paid)', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      await payThroughSandbox(f, p.link);
      expectError(await f.api('POST', `/payments/${p.id}/cancel`), 409, 'payment_already_paid');
    });

    it('refuses to cancel twice (409 payment_cancelled)', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      await f.api('POST', `/payments/${p.id}/cancel`);
      expectError(await f.api('POST', `/payments/${p.id}/cancel`), 409, 'payment_cancelled');
    });
  });

  describe('account isolation', () => {
    it("answers 404 payment_not_found for another account's payment on every payment route", async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      await payThroughSandbox(f, p.link);
      const other = await f.addAccount();
      for (const [path, body] of [
        [`/payments/${p.id}/resend`, {}],
        [`/payments/${p.id}/refresh`, undefined],
        [`/payments/${p.id}/cancel`, undefined],
        [`/payments/${p.id}/refunds`, { amountMinor: 100 }],
      ] as const) {
        const res = await f.api('POST', path, { token: other.token({ admin: true }), body });
        expectError(res, 404, 'payment_not_found');
      }
      const mine = await f.api('GET', `/leads/${leadId}/payments`);
      expect(mine.body.payments[0]).to.include({ status: 'paid', refundedAmountMinor: 0 });
    });

    it('answers 404 for a payment id that does not exist', async () => {
      expectError(await f.api('POST', '/payments/pay_nope/cancel'), 404, 'payment_not_found');
    });
  });

  describe('needs review', () => {
    it('shows a payment paid after it was cancelled as manual review', async () => {
      const p = (await create({ amountMinor: 1000 })).body.payment;
      const checkout = await openSandboxCheckout(f, p.link);
      await f.api('POST', `/payments/${p.id}/cancel`);
      await finishSandboxCheckout(f, checkout, 'pay');
      const res = await f.api('GET', `/leads/${leadId}/payments`);
      const view = res.body.payments[0];
      expect(view).to.include({ status: 'paid', crmStatus: 'manual_review' });
      expect(view.needsReview.reason).to.equal('paid_after_cancel');
      expect(res.body.crmStatus).to.equal('manual_review');
      expect(res.body.context.exceptions.map((e: { kind: string; paymentId: string }) => [e.kind, e.paymentId])).to.deep.equal([
        ['needs_review', p.id],
      ]);
    });
  });
});
