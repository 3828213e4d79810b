import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { tokens } from '../../server/db/schema.ts';
import {
  drain,
  expectEveryNoteExactlyOnce,
  installAccount,
  newPayment,
  openJobs,
  pause,
  startFaultApp,
  type FaultApp,
  times,
} from '../support/fault-harness.ts';

/**
 * Guards against a refresh stampede: amoCRM refresh tokens are single-use, so two refreshes racing
 * each other leave the loser with a spent token and the account disconnected. 100 widget calls
 * (each reads its lead from amoCRM) and a sync pass all arrive at the moment the access token
 * expires, through the real app.
 */
describe('fault: 100 concurrent calls at access-token expiry', function () {
  let f: FaultApp;
  let accountId: number;
  let managerId: number;
  let leads: number[];
  before(async () => {
    f = await startFaultApp();
    const account = await installAccount(f);
    accountId = account.id;
    managerId = account.users.find((u) => !u.is_admin)!.id;
    leads = Array.from({ length: 100 }, (_, i) => f.emu.addLead(accountId, { name: `Lead ${i}`, price: 1000 + i }).id);
  });
  after(() => f.close());

  const refreshRequests = () =>
    f.emu.requests.filter(
      (r) => r.path === '/oauth2/access_token' && (r.body as { grant_type?: string } | undefined)?.grant_type === 'refresh_token',
    );
  const tokenRow = () => f.t.db.select().from(tokens).where(eq(tokens.accountId, accountId)).get()!;

  async function stampede(): Promise<number[]> {
    const calls = leads.map(async (leadId) => {
      const res = await fetch(`${f.t.url}/api/v1/leads/${leadId}/payments`, {
        headers: { 'x-auth-token': f.emu.signDisposableToken({ accountId, userId: managerId }) },
      });
      await res.arrayBuffer();
      return res.status;
    });
    const [statuses] = await Promise.all([Promise.all(calls), f.t.app.services.syncWorker.runOnce()]);
    // A lead read outlives a slow answer to the widget (which waits 3 s at most): let them all land
    // (each test clears the emulator's log first).
    const landed = () =>
      f.emu.requests.filter((r) => r.method === 'GET' && /^\/api\/v4\/leads\/\d+$/.test(r.path) && r.status === 200).length;
    for (let i = 0; i < 1000 && landed() < leads.length; i++) await pause(10);
    expect(landed(), 'lead reads that reached amoCRM with a valid token').to.equal(leads.length);
    return statuses;
  }

  it('the token expired by the clock (app and amoCRM agree): one refresh request, every call answered, no 401', async () => {
    const payments = await times(30, () => newPayment(f, accountId));
    f.emu.clearRequests();
    const before = tokenRow();
    f.clock.set(before.expiresAt + 1000);

    const statuses = await stampede();
    expect(statuses).to.deep.equal(Array(100).fill(200));
    expect(refreshRequests(), 'refresh requests').to.have.length(1);
    expect(f.emu.refreshCount(accountId)).to.equal(1);
    expect(tokenRow().version).to.equal(before.version + 1);
    const api = f.emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    expect(
      api.filter((r) => r.status === 401),
      'calls made with the expired token',
    ).to.deep.equal([]);
    expect(api.filter((r) => r.status === 429)).to.deep.equal([]);
    await drain(f, { accounts: [accountId] });
    expect(await openJobs(f, accountId)).to.deep.equal([]);
    expect(payments.every((p) => f.emu.leadFieldValue(accountId, p.leadId, 'DRAMLINK_STATUS') === 'Awaiting payment')).to.equal(true);
    expect(await expectEveryNoteExactlyOnce(f, accountId)).to.equal(30);
    console.log(`      expired by the clock: ${api.length} API requests, 1 refresh`);
  });

  it('amoCRM expired the token early (401 to a token we think valid): still one refresh request for 100 calls', async () => {
    await newPayment(f, accountId);
    f.emu.clearRequests();
    const before = tokenRow();
    expect(before.expiresAt - f.clock.now()).to.be.greaterThan(20 * 3_600_000);
    f.emu.expireAccessTokens(accountId);

    const statuses = await stampede();
    expect(statuses).to.deep.equal(Array(100).fill(200));
    expect(refreshRequests(), 'refresh requests').to.have.length(1);
    expect(f.emu.refreshCount(accountId)).to.equal(2);
    expect(tokenRow().version).to.equal(before.version + 1);
    const api = f.emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    const unauthorized = api.filter((r) => r.status === 401);
    // Never a refresh loop: a call that met a 401 repeats once, with the new token, which amoCRM accepts.
    for (const leadId of leads) {
      const reads = api.filter((r) => r.path === `/api/v4/leads/${leadId}`);
      expect(reads.filter((r) => r.status === 401).length, `lead ${leadId}: 401s`).to.be.at.most(1);
      expect(reads.at(-1)!.status, `lead ${leadId}: last read`).to.equal(200);
    }
    await drain(f, { accounts: [accountId] });
    await expectEveryNoteExactlyOnce(f, accountId);
    // Calls queued behind the rate budget give their slot up once the token is known dead: only the
    // requests already in flight (at most 7 per second) meet a 401, not all 100.
    expect(unauthorized.length, 'requests sent with the rejected token').to.be.at.most(7);
    console.log(`      expired early by amoCRM: ${unauthorized.length} requests answered 401, ${api.length} API requests, 1 refresh`);
  });
});
