import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { accounts } from '../../server/db/schema.ts';
import { maxInWindow } from '../server/amocrm/support/windows.ts';
import {
  drain,
  expectEveryNoteExactlyOnce,
  installAccount,
  jobStates,
  newPayment,
  spyOnPauses,
  startFaultApp,
  type FaultApp,
  times,
} from '../support/fault-harness.ts';

/**
 * Guards against a client that keeps sending while amoCRM says "too many requests" (the road to a
 * 403 that only amoCRM support can lift). A storm of 429s (HTML, as amoCRM sends them; some with
 * Retry-After, one longer than the client waits inline) hits the sync worker draining 200 writes
 * in small batches and widget calls reading leads, all at once. The emulator's real limiter
 * (7 per rolling second, blocked after 20 violations a minute) stays on throughout.
 */
describe('fault: a 429 storm from amoCRM', function () {
  let f: FaultApp;
  let accountId: number;
  before(async () => {
    f = await startFaultApp({ env: { AMOCRM_BATCH_SIZE: '5' } });
    const account = await installAccount(f);
    accountId = account.id;
  });
  after(() => f.close());

  it('sends no request inside any back-off it announced, is never blocked, and ends in step', async () => {
    const leads = await times(100, () => newPayment(f, accountId));
    const managerId = f.emu.getAccount(accountId)!.users.find((u) => !u.is_admin)!.id;
    f.emu.clearRequests();
    f.trace.length = 0;
    spyOnPauses(f);

    const api = /^\/api\/v4\//;
    const storm = [
      f.emu.faults.add({ path: api, status: 429, times: 12 }),
      f.emu.faults.add({ path: api, status: 429, times: 8, headers: { 'retry-after': '3' } }),
      f.emu.faults.add({ path: api, status: 429, times: 1, headers: { 'retry-after': '45' } }),
      f.emu.faults.add({ path: api, status: 429, times: 12 }),
    ];
    const widgetCalls = Promise.all(
      leads.slice(0, 20).map(async (l) => {
        const res = await fetch(`${f.t.url}/api/v1/leads/${l.leadId}/payments`, {
          headers: { 'x-auth-token': f.emu.signDisposableToken({ accountId, userId: managerId }) },
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const passes = await drain(f, { accounts: [accountId], maxPasses: 100 });
    expect(await widgetCalls).to.deep.equal(Array(20).fill(200));
    expect(storm.map((h) => h.remaining)).to.deep.equal([0, 0, 0, 0]);

    const requests = f.emu.requests.filter((r) => r.accountId === accountId);
    expect(
      requests.filter((r) => r.status === 429 && !r.fault),
      '429s from the real limiter (violations)',
    ).to.deep.equal([]);
    const limited = requests.filter((r) => r.status === 429);
    expect(limited).to.have.length(33);
    const pauses = f.trace.filter((e) => e.kind === 'pause');

    // Every 429 made the client announce a back-off at that instant, of at least 1 s and at least its
    // Retry-After (the storm's faults are taken in arrival order: 12 plain, 8 with 3 s, 1 with 45 s, 12 plain).
    const retryAfterOf = (i: number) => (i >= 12 && i < 20 ? 3000 : i === 20 ? 45_000 : 0);
    const required = new Map<number, number>();
    [...limited].sort((a, b) => a.seq - b.seq).forEach((r, i) => required.set(r.at, Math.max(required.get(r.at) ?? 1000, retryAfterOf(i))));
    for (const [at, need] of required) {
      const announced = pauses.filter((p) => p.at === at).map((p) => p.until - p.at);
      expect(announced.length, `a back-off announced for the 429 at ${at}`).to.be.greaterThan(0);
      expect(Math.max(...announced), `the back-off announced at ${at}`).to.be.at.least(need);
    }
    const longest = Math.max(...pauses.map((p) => p.until - p.at));
    expect(longest, 'the 45 s Retry-After was honoured').to.be.at.least(45_000);

    // Client side, in order: nothing the app sent to amoCRM after announcing a back-off started before it ended.
    const violations: string[] = [];
    let pausedUntil = 0;
    for (const e of f.trace) {
      if (e.kind === 'pause') pausedUntil = Math.max(pausedUntil, e.until);
      else if (e.url.startsWith(f.emu.url) && e.at < pausedUntil)
        violations.push(
          `${e.method} ${e.url.slice(f.emu.url.length)} at +${e.at - f.trace[0].at} ms, ${pausedUntil - e.at} ms inside a back-off`,
        );
    }
    expect(violations, 'requests sent inside an announced back-off').to.deep.equal([]);
    // amoCRM side: no request of the account recorded strictly inside any back-off window.
    const inside = requests.filter((r) => pauses.some((p) => r.at > p.at && r.at < p.until));
    expect(inside.map((r) => `${r.method} ${r.path} at ${r.at}`)).to.deep.equal([]);

    // Never blocked: no 403, no 429 from the emulator's own limiter, never more than 7 in a second.
    expect(f.emu.isBlocked(accountId)).to.equal(false);
    expect(requests.filter((r) => r.status === 403)).to.deep.equal([]);
    expect(maxInWindow(requests.filter((r) => !r.fault).map((r) => r.at))).to.be.at.most(7);
    expect(f.t.db.select().from(accounts).where(eq(accounts.id, accountId)).get()!.state).to.equal('active');

    // And in step afterwards: every write made it once.
    const states = await jobStates(f, accountId);
    expect(Object.keys(states)).to.deep.equal(['done']);
    const notes = await expectEveryNoteExactlyOnce(f, accountId);
    expect(leads.every((l) => f.emu.leadFieldValue(accountId, l.leadId, 'DRAMLINK_STATUS') === 'Awaiting payment')).to.equal(true);
    const span = (requests.at(-1)!.at - requests[0].at) / 1000;
    console.log(
      `      ${requests.length} requests (${limited.length} answered 429) over ${span.toFixed(1)} s virtual in ${passes} passes; ` +
        `${pauses.length} back-offs announced (longest ${longest / 1000} s); 0 inside a back-off; ${notes} notes once each; never blocked`,
    );
  });
});
