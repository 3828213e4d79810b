import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../../server/crypto/secret-box.ts';
import { ensureSecretsKey, SecretsKeyError, secretsKeyReady, storedCheck } from '../../../server/crypto/secrets-check.ts';
import { openDatabase } from '../../../server/db/database.ts';
import { accounts, serverMeta, tokens } from '../../../server/db/schema.ts';
import { startTestApp } from '../../support/test-app.ts';

describe('the secrets key is checked', () => {
  const right = createSecretBox(randomBytes(32));
  const wrong = createSecretBox(randomBytes(32));

  it('stores a sealed check value at first start, opens it at every later start, and refuses another key with one line naming SECRETS_KEY', () => {
    const h = openDatabase(':memory:');
    expect(ensureSecretsKey(h.db, right, 1)).to.equal('stored');
    expect(storedCheck(h.db)).to.match(/^v1:/);
    expect(ensureSecretsKey(h.db, right, 2)).to.equal('checked');
    const err = (() => {
      try {
        ensureSecretsKey(h.db, wrong, 3);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).to.be.instanceOf(SecretsKeyError);
    expect(err!.message).to.match(/^SECRETS_KEY does not open the data in this database/);
    expect(err!.message).to.not.contain('\n');
    expect(secretsKeyReady(h.db, right)).to.equal(true);
    expect(secretsKeyReady(h.db, wrong)).to.equal(false);
    h.close();
  });

  it('does not bless a wrong key on a database from before the check: a sealed token must open first', () => {
    const h = openDatabase(':memory:');
    h.db.insert(accounts).values({ id: 1, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 }).run();
    h.db
      .insert(tokens)
      .values({ accountId: 1, accessTokenSealed: right.seal('a'), refreshTokenSealed: right.seal('r'), expiresAt: 0, updatedAt: 0 })
      .run();
    expect(() => ensureSecretsKey(h.db, wrong, 1)).to.throw(SecretsKeyError);
    expect(storedCheck(h.db), 'nothing stored for the wrong key').to.equal(undefined);
    expect(ensureSecretsKey(h.db, right, 1)).to.equal('stored');
    h.close();
  });

  it('makes /readyz answer 503 secrets_key_mismatch when the stored check no longer opens', async () => {
    const t = await startTestApp();
    try {
      expect((await fetch(`${t.url}/readyz`)).status).to.equal(200);
      t.app.services.db
        .update(serverMeta)
        .set({ value: wrong.seal('dramlink secrets check v1') })
        .run();
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).to.equal(503);
      expect((await res.json()).error.code).to.equal('secrets_key_mismatch');
    } finally {
      await t.close();
    }
  });
});
