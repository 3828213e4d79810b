import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../build-server/paths.ts';

/**
 * Throwaway PostgreSQL databases for tests and benchmarks, on a server named by a URL whose role
 * may create databases (scripts/pg-test.sh makes one). Each gets a fresh empty database, or a copy
 * of a template (CREATE DATABASE … TEMPLATE: about 0.1 s), and drops it afterwards.
 */
export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The same server and credentials, another database. */
export function withDatabase(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(
  serverUrl: string,
  opts: { prefix?: string; template?: string } = {},
): Promise<ScratchDatabase> {
  const name = `${opts.prefix ?? 'dramlink_scratch'}_${randomBytes(5).toString('hex')}`;
  const template = opts.template ? ` TEMPLATE "${opts.template}"` : '';
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"${template}`));
  return {
    url: withDatabase(serverUrl, name),
    name,
    drop: () => dropDatabase(serverUrl, name),
  };
}

/** Drops a database once its last connection has gone (a closed pool's backends may take a moment to exit). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await admin(serverUrl, async (c) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
        return;
      } catch (err) {
        // 55006: still being accessed by other users.
        if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 20 * attempt));
      }
    }
  });
}

/** Runs SQL on one database (e.g. ALTER DATABASE for a benchmark's seeding). */
export function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  return admin(url, work);
}

/** Whether a PostgreSQL server answers at this URL. */
export async function postgresAnswers(serverUrl: string): Promise<boolean> {
  try {
    await admin(serverUrl, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/**
 * A PostgreSQL server for a benchmark: the one in BENCH_POSTGRES_URL (or a postgres:// DATABASE_URL),
 * else a throwaway cluster started with scripts/pg-test.sh (Debian's postgresql installed), stopped
 * and deleted by `stop`. Undefined when neither is available.
 */
export async function postgresForBench(): Promise<{ url: string; stop(): void } | undefined> {
  const given = process.env.BENCH_POSTGRES_URL ?? (/^postgres/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined);
  if (given) return (await postgresAnswers(given)) ? { url: given, stop: () => undefined } : undefined;
  const script = join(REPO_ROOT, 'scripts', 'pg-test.sh');
  const env = { ...process.env, PGTEST_DIR: '/tmp/dramlink-bench-pg' };
  try {
    const line = execFileSync('bash', [script, 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    const url = line.replace(/^DATABASE_URL=/, '');
    return { url, stop: () => execFileSync('bash', [script, 'destroy'], { env, stdio: 'ignore' }) };
  } catch {
    return undefined;
  }
}
