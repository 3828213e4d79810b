import { expect } from 'chai';
import { exceptionsResponseSchema } from '../../../shared/api.ts';
import { openException, resolveException } from '../../../server/exceptions/open-exception.ts';
import { finishSandboxCheckout, openSandboxCheckout, setAccountState, startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

describe('widget API: GET /exceptions', () => {
  let f: WidgetFixture;
  let leadId: number;
  beforeEach(async () => {
    f = await startWidgetFixture();
    leadId = f.emu.addLead(f.accountId, { price: 100 }).id;
  });
  afterEach(() => f.close());

  const list = async (lang = 'en') => {
    const res = await f.api('GET', `/exceptions?lang=${lang}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return exceptionsResponseSchema.parse(res.body).exceptions;
  };

  it('lists a payment that needs review with what happened and what to do', async () => {
    const p = (await f.api('POST', `/leads/${leadId}/payments`, { body: { amountMinor: 5000 } })).body.payment;
    const checkout = await openSandboxCheckout(f, p.link);
    await f.api('POST', `/payments/${p.id}/cancel`);
    await finishSandboxCheckout(f, checkout, 'pay');
    const [e, ...rest] = await list();
    expect(rest).to.deep.equal([]);
    expect(e).to.include({ kind: 'needs_review', paymentId: p.id, leadId });
    expect(e.message).to.match(/cancel/i);
    expect(e.action).to.be.a('string').and.not.empty;
    expect(Date.parse(e.since)).to.equal(f.t.clock.now());
  });

  it('lists sync failing and account-wide problems, newest first, and leaves out resolved ones', async () => {
    const { store } = f.t.app.services;
    const t0 = f.t.clock.now();
    await store.transaction(function* (tx) {
      yield* openException(tx, {
        accountId: f.accountId,
        kind: 'sync_failing',
        key: 'sync:lead:1',
        leadId,
        reason: 'rejected',
        data: { jobKind: 'lead_update', error: 'amoCRM rejected the lead update' },
        now: t0,
      });
      yield* openException(tx, {
        accountId: f.accountId,
        kind: 'sync_failing',
        key: 'sync:lead:2',
        leadId: 2,
        reason: 'retrying',
        data: { attempts: 8, error: 'old', retryEveryMinutes: 30 },
        now: t0,
      });
      yield* resolveException(tx, { accountId: f.accountId, key: 'sync:lead:2', now: t0 + 1 });
      yield* openException(tx, {
        accountId: f.accountId,
        kind: 'account_blocked',
        key: 'account_blocked',
        reason: 'amocrm_403',
        data: { cooldownMinutes: 10 },
        now: t0 + 1000,
      });
    });
    await setAccountState(f, 'blocked');
    const all = await list();
    expect(all.map((e) => [e.kind, e.leadId])).to.deep.equal([
      ['account_blocked', null],
      ['sync_failing', leadId],
    ]);
  });

  it('says an account must reconnect even when nothing recorded it as an exception', async () => {
    await setAccountState(f, 'needs_reconnect');
    const [e] = await list();
    expect(e).to.include({ kind: 'account_needs_reconnect', paymentId: null, leadId: null });
    expect(e.action).to.match(/reinstall|reconnect/i);
  });

  it("renders in the reader's language (?lang=), else in the account's (Russian on amocrm.ru)", async () => {
    setAccountState(f, 'needs_reconnect');
    expect((await list('ru'))[0].action).to.match(/устанавливает dramlink заново/);
    expect((await list('es'))[0].action).to.match(/reinstala dramlink/);
    const res = await f.api('GET', '/exceptions');
    expect(res.body.exceptions[0].message).to.match(/потерял доступ/);
  });

  it("shows only this account's exceptions", async () => {
    const other = await f.addAccount();
    await f.t.store.transaction(function* (tx) {
      yield* openException(tx, {
        accountId: other.account.id,
        kind: 'sync_failing',
        key: 'k',
        leadId: 1,
        reason: 'retrying',
        data: { attempts: 8, error: 'theirs', retryEveryMinutes: 30 },
        now: f.t.clock.now(),
      });
    });
    expect(await list()).to.deep.equal([]);
  });
});
