import type Database from 'better-sqlite3';

/**
 * drizzle prepares a fresh SQLite statement for every query; compiling SQL was the largest cost on
 * the notification path. This keeps compiled statements by SQL text (LRU). Safe because
 * better-sqlite3 is synchronous and we never hold an iterator open across another query; the
 * result mode drizzle may have switched on (raw) is reset on every reuse.
 */
export function cacheStatements(sqlite: Database.Database, max = 1000): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit) {
      cache.delete(source);
      cache.set(source, hit);
      if (hit.reader) hit.raw(false);
      return hit;
    }
    const stmt = prepare(source);
    cache.set(source, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return stmt;
  }) as typeof sqlite.prepare;
}
