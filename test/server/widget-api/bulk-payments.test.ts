import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { bulkViewSchema } from '../../../shared/api.ts';
import { expectError, startWidgetFixture, whileTimePasses, type WidgetFixture } from './widget-fixture.ts';
import { describeStores } from '../../support/stores.ts';

/** The `llist` mass action: links for the leads ticked in the lead list, made by the link runner in the background. */
describeStores('widget API: bulk links from the lead list', (kind) => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture({ store: kind });
  });
  afterEach(() => f.close());

  const leadPayments = (leadId: number) => f.t.db.select().from(f.t.db.t.payments).where(eq(f.t.db.t.payments.leadId, leadId));
  const start = (leadIds: number[], requestId = 'bulk-run-0001', token?: string) =>
    f.api('POST', '/bulk/payments', { body: { leadIds, requestId }, ...(token ? { token } : {}) });
  const run = () => whileTimePasses(f, () => f.t.app.services.linkRunner.runOnce());

  it('creates one link per lead from its own price, skips a lead with a live link or no price (with the reason), and sums it up', async () => {
    const priced = f.emu.addLead(f.accountId, { price: 1200 }).id;
    const priced2 = f.emu.addLead(f.accountId, { price: 3400 }).id;
    const free = f.emu.addLead(f.accountId, { price: 0 }).id;
    const live = f.emu.addLead(f.accountId, { price: 500 }).id;
    expect((await f.api('POST', `/leads/${live}/payments`, { body: {} })).status).to.equal(201);

    const started = await start([priced, priced2, free, live]);
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    expect(started.body.batch).to.include({ total: 4, finished: false });
    await run();
    const res = await f.api('GET', '/bulk/payments/bulk-run-0001');
    expect(res.status).to.equal(200);
    const batch = bulkViewSchema.parse(res.body.batch);
    expect(batch).to.deep.include({ total: 4, done: 4, finished: true, created: 2, failed: [] });
    expect(batch.skipped).to.have.deep.members([
      { leadId: free, reason: 'no_price' },
      { leadId: live, reason: 'live_link' },
    ]);
    expect((await leadPayments(priced)).map((p) => p.amountMinor)).to.deep.equal([120000]);
    expect((await leadPayments(priced2)).map((p) => p.amountMinor)).to.deep.equal([340000]);
    expect(await leadPayments(free)).to.have.length(0);
    expect(await leadPayments(live)).to.have.length(1);
    expect((await leadPayments(priced))[0].createdBy).to.equal(`user:${f.managerId}`);
  });

  it('treats a retried POST (same requestId) as the same run: no second link', async () => {
    const lead = f.emu.addLead(f.accountId, { price: 1200 }).id;
    await start([lead]);
    await run();
    const again = await start([lead]);
    expect(again.status).to.equal(202);
    expect(again.body.batch).to.include({ total: 1, finished: true, created: 1 });
    await run();
    expect(await leadPayments(lead)).to.have.length(1);
  });

  it('reads the leads in one amoCRM request per 250, not one per lead', async () => {
    const leads = Array.from({ length: 30 }, (_, i) => f.emu.addLead(f.accountId, { price: 100 + i }).id);
    const before = f.emu.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v4/leads')).length;
    await start(leads);
    await run();
    const reads = f.emu.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v4/leads')).length - before;
    expect(reads).to.equal(1);
    expect((await f.api('GET', '/bulk/payments/bulk-run-0001')).body.batch).to.include({ created: 30, finished: true });
  });

  it('names a lead amoCRM does not have as failed, with the reason', async () => {
    await start([99_999_001]);
    await run();
    const batch = (await f.api('GET', '/bulk/payments/bulk-run-0001')).body.batch;
    expect(batch.failed).to.deep.equal([{ leadId: 99_999_001, reason: 'lead_not_found' }]);
  });

  it("refuses an empty selection, more than 500 leads, a bad requestId, and another account's run (404 bulk_not_found)", async () => {
    expectError(await start([]), 400, 'invalid_body');
    expectError(await start(Array.from({ length: 501 }, (_, i) => i + 1)), 400, 'invalid_body');
    expectError(await start([1], 'x'), 400, 'invalid_body');
    const lead = f.emu.addLead(f.accountId, { price: 1200 }).id;
    await start([lead]);
    const other = await f.addAccount();
    expectError(await f.api('GET', '/bulk/payments/bulk-run-0001', { token: other.token() }), 404, 'bulk_not_found');
  });
});
