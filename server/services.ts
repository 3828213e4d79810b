import type { Config } from './config/config.ts';
import { createSecretBox, type SecretBox } from './crypto/secret-box.ts';
import type { DatabaseHandle, Db } from './db/database.ts';
import type { Logger } from './logging/logger.ts';
import type { LedgerDeps } from './payments/deps.ts';
import type { Clock } from './platform/clock.ts';
import type { HttpClient } from './platform/http-client.ts';

/** The platform seams, decided once at the composition point (main.ts or a test). */
export interface AppDeps {
  config: Config;
  clock: Clock;
  http: HttpClient;
  logger: Logger;
  database: DatabaseHandle;
}

/** A background loop (sync worker, reconciler) the app starts and stops with the server. */
export interface BackgroundTask {
  name: string;
  start(): void;
  /** Stops scheduling and waits for the pass in progress. */
  stop(): Promise<void>;
}

export interface AppServices extends AppDeps {
  db: Db;
  secretBox: SecretBox;
  ledger: LedgerDeps;
  background: BackgroundTask[];
}

export function buildServices(deps: AppDeps): AppServices {
  if (!deps.config.secretsKey) throw new Error('SECRETS_KEY must be resolved before the services are built');
  return {
    ...deps,
    db: deps.database.db,
    secretBox: createSecretBox(deps.config.secretsKey),
    ledger: { db: deps.database.db, clock: deps.clock },
    background: [],
  };
}
