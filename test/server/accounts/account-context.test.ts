import { expect } from 'chai';
import type Database from 'better-sqlite3';
import { installWithSandbox, newLeadPayment, startEmulatedApp, type EmulatedApp } from '../amocrm/support/emulated-app.ts';
import { startWidgetFixture, type WidgetFixture } from '../widget-api/widget-fixture.ts';

/**
 * Counts the statements that read the `accounts` table while `fn` runs, by wrapping the
 * connection's prepare: every statement drizzle runs goes through it (prepared on first use).
 */
function countAccountReads(sqlite: Database.Database): { reads(): number; rowReads(): number; restore(): void } {
  const original = sqlite.prepare;
  let reads = 0;
  let rowReads = 0;
  // The AccountContext's read: every column of the row (narrower reads select a column or two).
  const readsWholeRow = (source: string) => /"settings".*"field_ids".*from "accounts"/i.test(source);
  const readsAccounts = (source: string) => /^\s*select\b/i.test(source) && /\b(from|join)\s+"accounts"/i.test(source);
  sqlite.prepare = ((source: string) => {
    const stmt = original.call(sqlite, source);
    if (!readsAccounts(source)) return stmt;
    const proxy: Database.Statement = new Proxy(stmt, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        // drizzle reads rows through `stmt.raw().get()`: keep counting on what raw() returns.
        if (key === 'raw')
          return (...args: unknown[]) => {
            (value as (...a: unknown[]) => unknown).apply(target, args);
            return proxy;
          };
        if (key === 'get' || key === 'all' || key === 'iterate')
          return (...args: unknown[]) => {
            reads++;
            if (readsWholeRow(source)) rowReads++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    return proxy;
  }) as typeof sqlite.prepare;
  return { reads: () => reads, rowReads: () => rowReads, restore: () => (sqlite.prepare = original) };
}

describe('accounts: one widget request reads the account row once', () => {
  let f: WidgetFixture;
  let leadId: number;
  let counter: Awaited<ReturnType<typeof countAccountReads>>;
  beforeEach(async () => {
    f = await startWidgetFixture();
    leadId = f.emu.addLead(f.accountId, { price: 1500 }).id;
    counter = countAccountReads(f.t.database.sqlite);
  });
  afterEach(async () => {
    counter.restore();
    await f.close();
  });

  it('GET /leads/:id/payments (lead price from amoCRM) does not read the account row again in each helper', async () => {
    const res = await f.api('GET', `/leads/${leadId}/payments`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    console.log(`      accounts reads, GET /leads/:id/payments: ${counter.reads()} (before the AccountContext: 5)`);
    // Once, by the auth middleware (the AccountContext); the exception list uses the account in hand.
    expect(counter.rowReads(), 'the account row is read once per request').to.equal(1);
    expect(counter.reads()).to.equal(1);
  });

  it('POST /leads/:id/payments (amount from the lead price, manager name from amoCRM) does not read the account row again in each helper', async () => {
    const res = await f.api('POST', `/leads/${leadId}/payments`, { body: {} });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    console.log(`      accounts reads, POST /leads/:id/payments: ${counter.reads()} (before the AccountContext: 7)`);
    // Once by the auth middleware; the ledger checks the account exists inside its own transaction.
    expect(counter.rowReads(), 'the account row is read once per request').to.equal(1);
    expect(counter.reads()).to.be.at.most(2);
  });
});

describe('accounts: one sync drain reads the account row once', () => {
  let e: EmulatedApp;
  beforeEach(async () => {
    e = await startEmulatedApp();
    await installWithSandbox(e);
  });
  afterEach(() => e.close());

  it('a pass writing a lead update and a note does not read the account again for each amoCRM call', async () => {
    newLeadPayment(e);
    const counter = countAccountReads(e.t.database.sqlite);
    try {
      const result = await e.t.app.services.syncWorker.runOnce();
      expect(result.done).to.equal(2);
      console.log(`      accounts reads, one sync pass (lead update + note): ${counter.reads()} (before the AccountContext: 6)`);
      // One query reads every account with due jobs; the drain and its amoCRM calls read none.
      expect(counter.reads()).to.equal(1);
    } finally {
      counter.restore();
    }
  });
});
