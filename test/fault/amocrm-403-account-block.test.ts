import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { accounts } from '../../server/db/schema.ts';
import {
  drain,
  expectEveryNoteExactlyOnce,
  installAccount,
  jobStates,
  MINUTE,
  newPayment,
  notify,
  openExceptions,
  openJobs,
  sandboxBody,
  startFaultApp,
  type FaultApp,
} from '../support/fault-harness.ts';

/**
 * Guards against prolonging an amoCRM account block (403 on everything, lifted only by amoCRM
 * support) by calling it again, and against one blocked account holding up the others. Two
 * accounts on one server; amoCRM blocks the first; payments of both keep arriving over HTTP and
 * managers keep opening the widget during the cool-down.
 */
describe('fault: amoCRM answers 403 (account blocked)', function () {
  let f: FaultApp;
  let blocked: number;
  let healthy: number;
  before(async () => {
    f = await startFaultApp();
    blocked = (await installAccount(f, { subdomain: 'blockedshop' })).id;
    healthy = (await installAccount(f, { subdomain: 'healthyshop' })).id;
  });
  after(() => f.close());

  const row = (id: number) => f.t.db.select().from(accounts).where(eq(accounts.id, id)).get()!;
  const widget = (accountId: number, method: string, path: string, body?: unknown) => {
    const user = f.emu.getAccount(accountId)!.users.find((u) => !u.is_admin)!.id;
    return fetch(`${f.t.url}/api/v1${path}`, {
      method,
      headers: { 'x-auth-token': f.emu.signDisposableToken({ accountId, userId: user }), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  };

  it('stops every call for that account for at least 10 minutes, keeps the others syncing, raises account_blocked, then probes once', async () => {
    const worker = f.t.app.services.syncWorker;
    const b1 = await newPayment(f, blocked);
    const h1 = await newPayment(f, healthy);
    f.emu.clearRequests();
    f.emu.blockAccount(blocked);

    await worker.runOnce();
    const first403 = f.emu.requests.filter((r) => r.accountId === blocked && r.status === 403);
    expect(first403, 'one 403 stops the account at once').to.have.length(1);
    const blockedAt = first403[0].at;
    expect(row(blocked).state).to.equal('blocked');
    expect(row(blocked).blockedUntil! - blockedAt).to.be.at.least(10 * MINUTE);
    expect(await openExceptions(f, blocked, 'account_blocked')).to.have.length(1);
    expect(await openExceptions(f, healthy)).to.deep.equal([]);
    expect(await jobStates(f, healthy)).to.deep.equal({ done: 2 });
    // The blocked account's writes wait, no attempt counted against them.
    expect((await openJobs(f, blocked)).every((j) => j.state === 'pending' && j.attempts === 0)).to.equal(true);

    // The cool-down: events on both accounts, worker passes, widget calls on both.
    const b2 = await newPayment(f, blocked);
    const healthyLeads: (typeof h1)[] = [];
    for (const minute of [1, 3, 5, 7, 9, 9.99]) {
      f.clock.set(blockedAt + minute * MINUTE);
      const h = await newPayment(f, healthy);
      healthyLeads.push(h);
      expect((await notify(f, healthy, sandboxBody('payment.succeeded', h.attempts[0]), `msg_h_${minute}`)).status).to.equal(200);
      expect(
        (
          await notify(
            f,
            blocked,
            sandboxBody(minute === 1 ? 'payment.succeeded' : 'payment.failed', (minute === 1 ? b1 : b2).attempts[0]),
            `msg_b_${minute}`,
          )
        ).status,
      ).to.equal(200);
      // A manager of the blocked account opens a lead card (read: answered from our data, no amoCRM call) and tries to create a link (refused).
      const read = await widget(blocked, 'GET', `/leads/${b1.leadId}/payments`);
      expect(read.status).to.equal(200);
      expect(((await read.json()) as { context: { accountState: string } }).context.accountState).to.equal('blocked');
      const create = await widget(blocked, 'POST', `/leads/${b1.leadId}/payments`, { amountMinor: 1000 });
      expect(create.status).to.equal(409);
      expect(((await create.json()) as { error: { code: string } }).error.code).to.equal('account_blocked');
      expect((await widget(healthy, 'GET', `/leads/${h.leadId}/payments`)).status).to.equal(200);
      await worker.runOnce();
      expect(await openJobs(f, healthy), `healthy account in step at +${minute} min`).to.deep.equal([]);
    }
    const duringCooldown = f.emu.requests.filter((r) => r.accountId === blocked && r.at > blockedAt);
    expect(
      duringCooldown.map((r) => `${r.method} ${r.path} at +${(r.at - blockedAt) / 1000} s`),
      'calls for the blocked account during the cool-down',
    ).to.deep.equal([]);
    expect(
      f.emu.requests.filter((r) => r.accountId === healthy && r.at > blockedAt).length,
      'the other account kept syncing',
    ).to.be.greaterThan(10);
    for (const h of healthyLeads) expect(f.emu.leadFieldValue(healthy, h.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
    expect(f.emu.leadFieldValue(healthy, h1.leadId, 'DRAMLINK_STATUS')).to.equal('Awaiting payment');

    // Cool-down over: exactly one probe, still blocked, a new cool-down.
    f.clock.set(row(blocked).blockedUntil!);
    await Promise.all([worker.runOnce(), widget(blocked, 'GET', `/leads/${b1.leadId}/payments`), worker.runOnce()]);
    const probes = f.emu.requests.filter((r) => r.accountId === blocked && r.at > blockedAt);
    expect(probes, 'one probe after the cool-down').to.have.length(1);
    expect(probes[0].status).to.equal(403);
    expect(probes[0].at - blockedAt).to.be.at.least(10 * MINUTE);
    const secondBlock = probes[0].at;
    expect(row(blocked).blockedUntil! - secondBlock).to.be.at.least(10 * MINUTE);
    for (const minute of [2, 6, 9.99]) {
      f.clock.set(secondBlock + minute * MINUTE);
      await worker.runOnce();
    }
    expect(f.emu.requests.filter((r) => r.accountId === blocked && r.at > secondBlock)).to.deep.equal([]);

    // amoCRM support lifts the block: the next probe succeeds and everything catches up, each note once.
    f.emu.unblockAccount(blocked);
    f.clock.set(row(blocked).blockedUntil!);
    await drain(f, { accounts: [blocked, healthy] });
    const resumed = f.emu.requests.filter((r) => r.accountId === blocked && r.at > secondBlock);
    expect(resumed[0].at - secondBlock).to.be.at.least(10 * MINUTE);
    expect(row(blocked).state).to.equal('active');
    expect(await openExceptions(f, blocked, 'account_blocked')).to.deep.equal([]);
    expect(f.emu.leadFieldValue(blocked, b1.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
    expect(f.emu.leadFieldValue(blocked, b2.leadId, 'DRAMLINK_STATUS')).to.equal('Payment failed');
    const notesBlocked = await expectEveryNoteExactlyOnce(f, blocked);
    const notesHealthy = await expectEveryNoteExactlyOnce(f, healthy);
    expect(f.emu.requests.filter((r) => r.status === 429)).to.deep.equal([]);
    const calls = f.emu.requests
      .filter((r) => r.accountId === blocked)
      .map((r) => `${r.status}@+${((r.at - blockedAt) / MINUTE).toFixed(1)}min`);
    console.log(
      `      blocked account, calls after the first 403: ${calls.slice(1, 3).join(', ')} (probe, then resumed), none in between; ` +
        `other account: ${f.emu.requests.filter((r) => r.accountId === healthy).length} requests, in step after every pass; afterwards ${notesBlocked} + ${notesHealthy} notes once each`,
    );
  });
});
