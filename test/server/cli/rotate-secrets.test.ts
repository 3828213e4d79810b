import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSecretBox } from '../../../server/crypto/secret-box.ts';
import { ensureSecretsKey } from '../../../server/crypto/secrets-check.ts';
import { openDatabase } from '../../../server/db/database.ts';
import { accounts, providerConfigs, tokens } from '../../../server/db/schema.ts';
import { createSqliteStore, openSqliteStore } from '../../../server/db/sqlite-store.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../../server/cli/rotate-secrets.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

describe('server/cli/rotate-secrets (child process): npm run rotate-secrets -- --from <old>', function () {
  this.timeout(20_000);
  let dir: string;
  let path: string;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const dump = () => {
    const h = openDatabase(path);
    const rows = { tokens: h.db.select().from(tokens).all(), configs: h.db.select().from(providerConfigs).all() };
    h.close();
    return rows;
  };
  const rotate = (from: Buffer | string, to: Buffer) =>
    run(process.execPath, ['--import', TSX, CLI, '--from', typeof from === 'string' ? from : from.toString('base64')], {
      env: { PATH: process.env.PATH, DATABASE_URL: `file:${path}`, SECRETS_KEY: to.toString('base64') },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-rotate-'));
    path = join(dir, 'dramlink.db');
    const h = openDatabase(path);
    const box = createSecretBox(oldKey);
    await ensureSecretsKey(createSqliteStore(h), box, 0);
    h.db.insert(accounts).values({ id: 7, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 0, updatedAt: 0 }).run();
    h.db
      .insert(tokens)
      .values({
        accountId: 7,
        accessTokenSealed: box.seal('access-7'),
        refreshTokenSealed: box.seal('refresh-7'),
        expiresAt: 0,
        updatedAt: 0,
      })
      .run();
    h.db
      .insert(providerConfigs)
      .values({
        accountId: 7,
        provider: 'arca',
        enabled: true,
        mode: 'live',
        credentialsSealed: box.seal('{"password":"p"}'),
        updatedAt: 0,
      })
      .run();
    h.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a --from that is not the key the data is sealed with, and changes nothing', async () => {
    const before = dump();
    const res = await rotate(randomBytes(32), newKey);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.contain('--from does not open this database');
    expect(dump()).to.deep.equal(before);
  });

  it('re-encrypts every token and credential under the new key; the server then starts with it and not with the old one', async () => {
    const res = await rotate(oldKey, newKey);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/re-encrypted 3 secret value\(s\) and the check value/);
    const {
      tokens: [t],
      configs: [c],
    } = dump();
    const box = createSecretBox(newKey);
    expect([box.open(t.accessTokenSealed), box.open(t.refreshTokenSealed), box.open(c.credentialsSealed)]).to.deep.equal([
      'access-7',
      'refresh-7',
      '{"password":"p"}',
    ]);
    const h = openSqliteStore(path);
    expect(await ensureSecretsKey(h, box, 1)).to.equal('checked');
    expect(String(await ensureSecretsKey(h, createSecretBox(oldKey), 1).catch((e: unknown) => e))).to.match(/SECRETS_KEY does not open/);
    await h.close();
  });

  it('is harmless when run again, and refuses a malformed --from with the usage line', async () => {
    const again = await rotate(oldKey, newKey);
    expect(again.code).to.equal(0);
    expect(again.stdout).to.contain('already sealed with SECRETS_KEY; nothing changed');
    const bad = await rotate('not-a-key', newKey);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('--from must be the old key').and.contain('usage:');
  });
});
