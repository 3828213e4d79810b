import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../../server/crypto/secret-box.ts';
import { ensureSecretsKey, SecretsKeyError, secretsKeyReady, storedCheck } from '../../../server/crypto/secrets-check.ts';
import { openTestStore, txOf } from '../../support/stores.ts';
import { startTestApp } from '../../support/test-app.ts';

describe('the secrets key is checked', () => {
  const right = createSecretBox(randomBytes(32));
  const wrong = createSecretBox(randomBytes(32));

  it('stores a sealed check value at first start, opens it at every later start, and refuses another key with one line naming SECRETS_KEY', async () => {
    const h = await openTestStore('sqlite');
    expect(await ensureSecretsKey(h, right, 1)).to.equal('stored');
    expect(await h.run(storedCheck)).to.match(/^v1:/);
    expect(await ensureSecretsKey(h, right, 2)).to.equal('checked');
    const err = await (async () => {
      try {
        await ensureSecretsKey(h, wrong, 3);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).to.be.instanceOf(SecretsKeyError);
    expect(err!.message).to.match(/^SECRETS_KEY does not open the data in this database/);
    expect(err!.message).to.not.contain('\n');
    expect(await secretsKeyReady(h, right)).to.equal(true);
    expect(await secretsKeyReady(h, wrong)).to.equal(false);
    await h.close();
  });

  it('does not bless a wrong key on a database from before the check: a sealed token must open first', async () => {
    const h = await openTestStore('sqlite');
    const db = await txOf(h);
    await db.insert(db.t.accounts).values({ id: 1, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 });
    await db
      .insert(db.t.tokens)
      .values({ accountId: 1, accessTokenSealed: right.seal('a'), refreshTokenSealed: right.seal('r'), expiresAt: 0, updatedAt: 0 });
    const refused = await ensureSecretsKey(h, wrong, 1).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(SecretsKeyError);
    expect(await h.run(storedCheck), 'nothing stored for the wrong key').to.equal(undefined);
    expect(await ensureSecretsKey(h, right, 1)).to.equal('stored');
    await h.close();
  });

  it('makes /readyz answer 503 secrets_key_mismatch when the stored check no longer opens', async () => {
    const t = await startTestApp();
    try {
      expect((await fetch(`${t.url}/readyz`)).status).to.equal(200);
      await t.db.update(t.db.t.serverMeta).set({ value: wrong.seal('dramlink secrets check v1') });
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).to.equal(503);
      expect((await res.json()).error.code).to.equal('secrets_key_mismatch');
    } finally {
      await t.close();
    }
  });
});
