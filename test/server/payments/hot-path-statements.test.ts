import { expect } from 'chai';
import { atomic } from '../../../server/db/atomic.ts';
import { applyProviderFactInTx } from '../../../server/payments/apply-provider-fact.ts';
import { findAttemptByRef } from '../../../server/payments/find-attempt.ts';
import { inboxRowExists, insertInboxRow } from '../../../server/payments/inbox.ts';
import { newAttempt, newPayment, openLedger, paid, type Ledger } from './ledger-fixture.ts';

/**
 * The notification path (find the attempt, dedupe, apply, store the inbox row) runs on statements
 * prepared once per connection: SQL compiled per notification was its largest cost once.
 */
describe('server/payments: the notification path compiles no SQL once warm', () => {
  let l: Ledger;
  beforeEach(() => {
    l = openLedger();
  });
  afterEach(() => l.close());

  function notify(orderNo: string, n: number): void {
    const attempt = findAttemptByRef(l.db, { accountId: l.accountId, provider: 'sandbox', providerOrderNo: orderNo })!;
    atomic(l.db, (tx) => {
      if (inboxRowExists(tx, l.accountId, 'sandbox', `evt-${n}`)) return;
      const d = applyProviderFactInTx(tx, l.clock.now(), { attemptId: attempt.id, fact: paid(attempt), actor: 'provider:sandbox' });
      insertInboxRow(tx, {
        accountId: l.accountId,
        provider: 'sandbox',
        dedupeKey: `evt-${n}`,
        kind: 'notification',
        authenticated: true,
        raw: '{}',
        state: d.events.length ? 'applied' : 'ignored',
        receivedAt: l.clock.now(),
      });
    });
  }

  it('pays a payment without compiling a statement after the first one warmed the path', () => {
    const attempts = [0, 1, 2].map(() => newAttempt(l, newPayment(l).id));
    notify(attempts[0].providerOrderNo, 0);
    const sqlite = l.database.sqlite;
    const original = sqlite.prepare.bind(sqlite);
    const compiled: string[] = [];
    sqlite.prepare = ((source: string) => {
      compiled.push(source);
      return original(source);
    }) as typeof sqlite.prepare;
    notify(attempts[1].providerOrderNo, 1);
    notify(attempts[2].providerOrderNo, 2);
    expect(compiled).to.deep.equal([]);
  });
});
