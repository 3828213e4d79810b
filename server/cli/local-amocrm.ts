import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Local mode's amoCRM lives inside the running dev server (an emulator on a free loopback port,
 * with the dev wing's own integration id and secret). The dev wing writes where it is to this file
 * in the data folder while it runs, so `npm run doctor` can check the local account; production
 * never writes or reads it (the doctor reads it only in local mode).
 */
export const LOCAL_AMOCRM_FILE = 'local-amocrm.json';

export interface LocalAmocrm {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export function localAmocrmPath(databasePath: string): string {
  const folder = databasePath === ':memory:' ? resolve('data') : dirname(resolve(databasePath));
  return resolve(folder, LOCAL_AMOCRM_FILE);
}

/** What the running local server wrote, or undefined when it is not running. */
export function readLocalAmocrm(databasePath: string): LocalAmocrm | undefined {
  const file = localAmocrmPath(databasePath);
  if (!existsSync(file)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalAmocrm>;
    if (typeof value.baseUrl === 'string' && typeof value.clientId === 'string' && typeof value.clientSecret === 'string') {
      return { baseUrl: value.baseUrl, clientId: value.clientId, clientSecret: value.clientSecret };
    }
  } catch {
    // A half-written file: as if the server were not running.
  }
  return undefined;
}
