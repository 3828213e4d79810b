import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretBox } from '../../../server/crypto/secret-box.ts';
import { isDatabaseReady, openDatabase } from '../../../server/db/database.ts';
import { accounts, auditEntries, providerConfigs, tokens } from '../../../server/db/schema.ts';

const SECRETS = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.ACCESS-TOKEN-PLAINTEXT-0f1e2d3c4b5a',
  refreshToken: 'def50200REFRESH-TOKEN-PLAINTEXT-a9b8c7d6e5f4',
  ameriaPassword: 'AMERIA-PASSWORD-PLAINTEXT-77aa',
  idramSecret: 'IDRAM-SECRET-KEY-PLAINTEXT-88bb',
  webhookSecret: 'whsec_U0FOREJPWC1XRUJIT09LLVBMQUlOVEVYVA==',
};

/** A plain (not secret) column value: proves the byte scan reads where the rows are. */
const MARKER = 'Shop LLC plain account name 4f3e';

/** Every file SQLite keeps for the database (main file, WAL, shared memory), concatenated. */
function rawBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith('dramlink.db'))
      .map((f) => readFileSync(join(dir, f))),
  );
}

function plaintextsIn(bytes: Buffer): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(SECRETS)) {
    // The plaintext, a slice of it, and its base64 at every byte alignment (an encoded-but-not-encrypted value).
    const base64s = [0, 1, 2].map((k) =>
      Buffer.concat([Buffer.alloc(k), Buffer.from(secret)])
        .toString('base64')
        .slice(4, -4),
    );
    for (const form of [secret, secret.slice(8, 28), ...base64s]) {
      if (bytes.includes(Buffer.from(form, 'utf8')) || bytes.includes(Buffer.from(form, 'utf16le'))) found.push(`${name} (${form})`);
    }
  }
  return found;
}

describe('server/db: secrets at rest', () => {
  let dir: string;
  const key = randomBytes(32);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function storeSecrets(path: string) {
    const handle = openDatabase(path);
    const box = createSecretBox(key);
    const now = Date.UTC(2026, 0, 15);
    handle.db
      .insert(accounts)
      .values({ id: 1001, subdomain: 'shop', baseDomain: 'amocrm.ru', name: MARKER, state: 'active', createdAt: now, updatedAt: now })
      .run();
    // As the app stores them: the OAuth pair sealed, provider credentials sealed as JSON.
    handle.db
      .insert(tokens)
      .values({
        accountId: 1001,
        accessTokenSealed: box.seal(SECRETS.accessToken),
        refreshTokenSealed: box.seal(SECRETS.refreshToken),
        expiresAt: now + 86_400_000,
        updatedAt: now,
      })
      .run();
    const creds = {
      ameriabank: { clientId: 'c1', username: 'api', password: SECRETS.ameriaPassword },
      idram: { recAccount: '110000601', secretKey: SECRETS.idramSecret },
      sandbox: { webhookSecret: SECRETS.webhookSecret },
    };
    for (const [provider, c] of Object.entries(creds)) {
      handle.db
        .insert(providerConfigs)
        .values({ accountId: 1001, provider, enabled: true, mode: 'test', credentialsSealed: box.seal(JSON.stringify(c)), updatedAt: now })
        .run();
    }
    return handle;
  }

  it('keeps no plaintext token or credential in the database file or its WAL, open or closed', () => {
    const path = join(dir, 'dramlink.db');
    const handle = storeSecrets(path);
    expect(existsSync(`${path}-wal`), 'WAL mode: recent writes live in the -wal file').to.equal(true);
    const whileOpen = rawBytes(dir);
    expect(whileOpen.includes(Buffer.from(MARKER)), 'the scan sees plain columns, so it reads the right bytes').to.equal(true);
    expect(plaintextsIn(whileOpen)).to.deep.equal([]);
    handle.close();
    const closed = rawBytes(dir);
    expect(closed.includes(Buffer.from(MARKER))).to.equal(true);
    expect(plaintextsIn(closed)).to.deep.equal([]);
  });

  it('opens the sealed values again with the right key, and refuses them with a wrong key (GCM authentication)', () => {
    const path = join(dir, 'dramlink.db');
    storeSecrets(path).close();
    const handle = openDatabase(path);
    const row = handle.db.select().from(tokens).get()!;
    const cfgs = handle.db.select().from(providerConfigs).all();
    handle.close();

    expect(row.accessTokenSealed).to.match(/^v1:/);
    const box = createSecretBox(key);
    expect(box.open(row.accessTokenSealed)).to.equal(SECRETS.accessToken);
    expect(box.open(row.refreshTokenSealed)).to.equal(SECRETS.refreshToken);
    expect(JSON.parse(box.open(cfgs.find((c) => c.provider === 'idram')!.credentialsSealed))).to.deep.equal({
      recAccount: '110000601',
      secretKey: SECRETS.idramSecret,
    });

    const wrong = createSecretBox(randomBytes(32));
    for (const sealed of [row.accessTokenSealed, row.refreshTokenSealed, ...cfgs.map((c) => c.credentialsSealed)]) {
      expect(() => wrong.open(sealed)).to.throw(/authenticate/i);
    }
  });
});

describe('server/db: migrations and the audit trail', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dramlink-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the migrations once: opening the same file again is harmless and keeps the data', () => {
    const path = join(dir, 'nested', 'dramlink.db');
    const first = openDatabase(path);
    const applied = first.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
    first.db.insert(accounts).values({ id: 1, subdomain: 's', baseDomain: 'amocrm.ru', state: 'active', createdAt: 1, updatedAt: 1 }).run();
    first.close();
    const second = openDatabase(path);
    expect(isDatabaseReady(second)).to.equal(true);
    expect((second.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).to.equal(applied.n);
    expect(second.db.select().from(accounts).all()).to.have.length(1);
    second.close();
    const third = openDatabase(path);
    expect(isDatabaseReady(third)).to.equal(true);
    third.close();
  });

  it('opens in WAL mode with foreign keys on and a busy timeout', () => {
    const h = openDatabase(join(dir, 'dramlink.db'));
    expect(h.sqlite.pragma('journal_mode', { simple: true })).to.equal('wal');
    expect(h.sqlite.pragma('foreign_keys', { simple: true })).to.equal(1);
    expect(h.sqlite.pragma('busy_timeout', { simple: true })).to.be.at.least(1000);
    h.close();
  });

  it('refuses UPDATE and DELETE on audit_entries (history is append-only)', () => {
    const h = openDatabase(join(dir, 'dramlink.db'));
    h.db.insert(auditEntries).values({ accountId: 1, paymentId: 'pay_1', at: 1, actor: 'user:1', action: 'created', details: '{}' }).run();
    expect(() => h.sqlite.prepare("UPDATE audit_entries SET action = 'paid'").run()).to.throw(/append-only/);
    expect(() => h.sqlite.prepare('DELETE FROM audit_entries').run()).to.throw(/append-only/);
    expect(() => h.sqlite.prepare("UPDATE audit_entries SET details = '{}' WHERE id = 1").run()).to.throw(/append-only/);
    const rows = h.db.select().from(auditEntries).all();
    expect(rows.map((r) => r.action)).to.deep.equal(['created']);
    h.db.insert(auditEntries).values({ accountId: 1, paymentId: 'pay_1', at: 2, actor: 'user:1', action: 'resent', details: '{}' }).run();
    expect(h.db.select().from(auditEntries).all()).to.have.length(2);
    h.close();
  });
});
