import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createAmocrmServices, type AmocrmServices } from '../../../../server/amocrm/index.ts';
import type { AmocrmClientOptions } from '../../../../server/amocrm/client.ts';
import { writeTokens } from '../../../../server/amocrm/token-store.ts';
import { loadConfig, type Config } from '../../../../server/config/config.ts';
import { createSecretBox, type SecretBox } from '../../../../server/crypto/secret-box.ts';
import { openDatabase, type DatabaseHandle } from '../../../../server/db/database.ts';
import { createSqliteStore, sqliteTx } from '../../../../server/db/sqlite-store.ts';
import type { Tx } from '../../../../server/db/tx.ts';
import type { Store } from '../../../../server/db/store.ts';
import { createLogger, type Logger } from '../../../../server/logging/logger.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { VirtualClock } from './virtual-clock.ts';

export const ACCOUNT_ID = 31337;
export const BASE = 'https://shop.amocrm.ru';
export const HOUR = 3_600_000;

export interface UnitHarness {
  clock: VirtualClock;
  config: Config;
  database: DatabaseHandle;
  /** The same database as the app's store sees it. */
  store: Store;
  /** SQLite's Tx on the same connection: `runSync(readTokens(h.tx, …))` reads at once. */
  tx: Tx;
  secretBox: SecretBox;
  logger: Logger;
  logs: string[];
  amocrm: AmocrmServices;
  /** Another "process" on the same database: its own single-flight, budget and lease holder name. */
  secondProcess(): AmocrmServices;
  close(): void;
}

/**
 * The amoCRM services on an in-memory database and a virtual clock, talking real HTTP that nock
 * intercepts (`https://shop.amocrm.ru`). One active account with a token pair valid for `tokenTtlMs`.
 */
export async function unitHarness(
  opts: { rps?: number; tokenTtlMs?: number; client?: AmocrmClientOptions; databasePath?: string } = {},
): Promise<UnitHarness> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 10, 0, 0));
  const config = loadConfig({
    DATABASE_URL: ':memory:',
    SECRETS_KEY: randomBytes(32).toString('base64'),
    AMOCRM_CLIENT_ID: 'client-uuid',
    AMOCRM_CLIENT_SECRET: 'client-secret',
    AMOCRM_REDIRECT_URI: 'https://pay.example.am/oauth/callback',
    AMOCRM_RPS: String(opts.rps ?? 7),
  });
  const database = openDatabase(opts.databasePath ?? ':memory:');
  const store = createSqliteStore(database);
  const secretBox = createSecretBox(config.secretsKey!);
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => logs.push(...c.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'debug', stream });
  const now = clock.now();
  await store.transaction(function* (tx) {
    yield* tx.run(
      tx
        .insert(tx.t.accounts)
        .values({ id: ACCOUNT_ID, subdomain: 'shop', baseDomain: 'amocrm.ru', state: 'active', createdAt: now, updatedAt: now }),
    );
    yield* writeTokens(
      tx,
      secretBox,
      ACCOUNT_ID,
      { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: (opts.tokenTtlMs ?? 24 * HOUR) / 1000 },
      now,
    );
  });
  const http = clock.track(createAxiosHttpClient({ defaultTimeoutMs: 5_000 }));
  const extra: DatabaseHandle[] = [];
  const build = (processId: string, on: Store = store) =>
    createAmocrmServices({ config, store: on, clock, http, logger, secretBox, processId, client: { random: () => 0, ...opts.client } });
  return {
    clock,
    config,
    database,
    store,
    tx: sqliteTx(database.db),
    secretBox,
    logger,
    logs,
    amocrm: build('process-a'),
    // With a database file, the second process has its own connection, as a real one would.
    secondProcess: () => {
      if (!opts.databasePath) return build('process-b');
      const own = openDatabase(opts.databasePath);
      extra.push(own);
      return build('process-b', createSqliteStore(own));
    },
    close: () => {
      extra.forEach((d) => d.close());
      database.close();
    },
  };
}
