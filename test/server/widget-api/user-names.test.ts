import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { writeTokens } from '../../../server/amocrm/token-store.ts';
import { accounts, exceptions } from '../../../server/db/schema.ts';
import { startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

describe('widget API: the manager-name lookup when the installing user is no admin', () => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture();
    // The installer lost (or never had) admin rights: amoCRM answers its users lookup 403 (rights).
    const pair = f.emu.issueTokens(f.accountId, { userId: f.managerId });
    const { store, secretBox } = f.t.app.services;
    await store.transaction((tx) =>
      writeTokens(
        tx,
        secretBox,
        f.accountId,
        { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresIn: pair.expires_in },
        f.t.clock.now(),
      ),
    );
  });
  afterEach(() => f.close());

  const usersCalls = () => f.emu.requests.filter((r) => r.path === '/api/v4/users');

  it('never blocks the account: links are created, the account stays active, no exception', async () => {
    const lead = f.emu.addLead(f.accountId, { price: 100 }).id;
    for (let i = 0; i < 3; i++) {
      const res = await f.api('POST', `/leads/${lead}/payments`, { body: { amountMinor: 1000 } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    const account = f.t.db.select().from(accounts).where(eq(accounts.id, f.accountId)).get()!;
    expect(account.state).to.equal('active');
    expect(f.t.db.select().from(exceptions).all()).to.deep.equal([]);
    // Refused once, then not asked again for a while (rights do not come back by themselves).
    expect(usersCalls().map((r) => r.status)).to.deep.equal([403]);
  });
});
