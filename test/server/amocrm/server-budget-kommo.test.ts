import { expect } from 'chai';
import { accounts } from '../../../server/db/schema.ts';
import { drain, installAccount, newPayment, startFaultApp, type FaultApp } from '../../support/fault-harness.ts';
import { maxInWindow } from './support/windows.ts';

/**
 * Kommo limits requests by IP address: several accounts on one dramlink server add up, and a 403
 * then blocks every tenant at once. The emulator limits per IP here (7 per rolling second, blocked
 * after a few violations); three accounts sync 20 payments each with AMOCRM_RPS=5.
 */
describe('amoCRM server-wide budget against a per-IP limit (emulator, Kommo)', function () {
  this.timeout(60_000);
  let f: FaultApp;
  afterEach(() => f.close());

  async function syncThreeAccounts(env: Record<string, string>): Promise<number[]> {
    f = await startFaultApp({
      env: { AMOCRM_RPS: '5', AMOCRM_BATCH_SIZE: '2', ...env },
      emulator: { rps: 7, rateScope: 'ip', blockAfterViolations: 5 },
    });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await installAccount(f)).id);
    for (const id of ids) for (let i = 0; i < 20; i++) await newPayment(f, id);
    f.emu.clearRequests();
    await drain(f, { accounts: ids, maxPasses: 200 }).catch(() => undefined);
    return ids;
  }

  it('with AMOCRM_SERVER_RPS=7 the accounts together stay within the address limit: no 429, no block, everything written', async () => {
    const ids = await syncThreeAccounts({ AMOCRM_SERVER_RPS: '7' });
    const api = f.emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    expect(api.filter((r) => r.status === 429 || r.status === 403)).to.deep.equal([]);
    expect(maxInWindow(api.map((r) => r.at))).to.be.at.most(7);
    for (const id of ids) expect(f.emu.notes(id)).to.have.length(20);
    expect(
      f.t.db
        .select()
        .from(accounts)
        .all()
        .map((a) => a.state),
    ).to.deep.equal(['active', 'active', 'active']);
  });

  it('without it, the three accounts (each within its own 5 per second) overrun the address: the failure the setting exists for', async () => {
    await syncThreeAccounts({});
    const api = f.emu.requests.filter((r) => r.path.startsWith('/api/v4/'));
    expect(api.filter((r) => r.status === 429).length).to.be.greaterThan(0);
  });
});
