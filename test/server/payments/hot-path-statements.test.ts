import { expect } from 'chai';
import { applyProviderFactInTx } from '../../../server/payments/apply-provider-fact.ts';
import { findAttemptByRef } from '../../../server/payments/find-attempt.ts';
import { inboxRowExists, insertInboxRow } from '../../../server/payments/inbox.ts';
import { newAttempt, newPayment, openLedger, paid, type Ledger } from './ledger-fixture.ts';

/**
 * The notification path (find the attempt, dedupe, apply, store the inbox row) runs on statements
 * prepared once per connection: SQL compiled per notification was its largest cost once.
 */
describe('server/payments: the notification path compiles no SQL once warm (SQLite)', () => {
  let l: Ledger;
  beforeEach(async () => {
    l = await openLedger();
  });
  afterEach(() => l.close());

  /** What the webhook route runs for one notification, in the store's ingest (SQLite's group commit). */
  async function notify(orderNo: string, n: number): Promise<void> {
    await l.store.ingest(function* (tx) {
      const attempt = (yield* findAttemptByRef(tx, { accountId: l.accountId, provider: 'sandbox', providerOrderNo: orderNo }))!;
      if (yield* inboxRowExists(tx, l.accountId, 'sandbox', `evt-${n}`)) return;
      const d = yield* applyProviderFactInTx(tx, l.clock.now(), { attemptId: attempt.id, fact: paid(attempt), actor: 'provider:sandbox' });
      yield* insertInboxRow(tx, {
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

  it('pays a payment without compiling a statement after the first one warmed the path', async () => {
    const attempts = [];
    for (let i = 0; i < 3; i++) attempts.push(await newAttempt(l, (await newPayment(l)).id));
    await notify(attempts[0].providerOrderNo, 0);
    const sqlite = l.database.sqlite;
    const original = sqlite.prepare.bind(sqlite);
    const compiled: string[] = [];
    sqlite.prepare = ((source: string) => {
      compiled.push(source);
      return original(source);
    }) as typeof sqlite.prepare;
    await notify(attempts[1].providerOrderNo, 1);
    await notify(attempts[2].providerOrderNo, 2);
    expect(compiled).to.deep.equal([]);
  });
});
