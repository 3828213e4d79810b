import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { describeStores } from '../../support/stores.ts';
import { seedAccount, startTestApp, type TestApp } from '../../support/test-app.ts';

const FIRST = 'whsec_Zmlyc3Qtc2VjcmV0LW9mLXNpeHRlZW4=';
const SECOND = 'whsec_c2Vjb25kLXNlY3JldC1vZi1zaXh0ZWVu';

describeStores('provider contexts: built once per saved version of the row, never stale', (kind) => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp({ store: kind });
    accountId = await seedAccount(t, { providers: { sandbox: { webhookSecret: FIRST } } });
  });
  afterEach(() => t.close());

  const context = async () => (await t.app.services.providers.context(accountId, 'sandbox')).ctx;

  it('gives the same context again while the row is unchanged, its credentials frozen so no call can change them for the next', async () => {
    const first = await context();
    expect(await context()).to.equal(first);
    expect(first.credentials.webhookSecret).to.equal(FIRST);
    expect(() => {
      (first.credentials as { webhookSecret: string }).webhookSecret = 'changed';
    }).to.throw(TypeError);
  });

  it('sees credentials saved since (here or by another instance writing the row) on the very next call', async () => {
    expect((await context()).credentials.webhookSecret).to.equal(FIRST);
    await t.app.services.store.transaction((tx) =>
      t.app.services.providers.save(tx, accountId, {
        provider: 'sandbox',
        enabled: true,
        mode: 'test',
        credentials: { webhookSecret: SECOND },
      }),
    );
    expect((await context()).credentials.webhookSecret).to.equal(SECOND);

    // Another instance's save: only the row changed, nothing went through this process.
    const { providerConfigs } = t.db.t;
    await t.db
      .update(providerConfigs)
      .set({ credentialsSealed: t.app.services.secretBox.seal(JSON.stringify({ webhookSecret: FIRST })) })
      .where(and(eq(providerConfigs.accountId, accountId), eq(providerConfigs.provider, 'sandbox')));
    expect((await context()).credentials.webhookSecret).to.equal(FIRST);
  });

  it('still refuses a row whose credentials the provider does not accept, every time', async () => {
    const { providerConfigs } = t.db.t;
    await t.db
      .update(providerConfigs)
      .set({ credentialsSealed: t.app.services.secretBox.seal(JSON.stringify({ webhookSecret: 'short' })) })
      .where(eq(providerConfigs.accountId, accountId));
    for (let i = 0; i < 2; i++) {
      const [outcome] = await Promise.allSettled([context()]);
      expect(outcome.status).to.equal('rejected');
      expect((outcome as PromiseRejectedResult).reason.code).to.equal('provider_misconfigured');
    }
  });
});
