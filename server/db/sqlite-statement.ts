import type { Statement } from 'better-sqlite3';
import { Column, is, Param, Placeholder } from 'drizzle-orm';

/**
 * A hot statement kept by `Tx.prepared` on SQLite, run straight on better-sqlite3 (docs/architecture.md,
 * The stores). drizzle's prepared query does per call what never changes between calls: it looks
 * up every parameter's kind and every column's decoder again, and builds each row through a
 * generic reducer. On the notification path that was more JavaScript than SQLite's own work. Here
 * the parameter order and the decoders are read once, from the query drizzle built, and each call
 * only binds the values and copies the row's columns into an object by their keys.
 *
 * Only the plain shapes are taken (parameters that are placeholders or constants, a flat list of
 * table columns); anything else stays drizzle's prepared query, which runs the same SQL.
 */
export interface HotStatement {
  get(params?: Record<string, unknown>): unknown;
  all(params?: Record<string, unknown>): unknown[];
  run(params?: Record<string, unknown>): { changes: number };
}

/** What drizzle's better-sqlite3 prepared query holds (drizzle-orm/better-sqlite3/session.js). */
interface DrizzlePrepared {
  stmt?: Statement;
  query?: { sql: string; params: unknown[] };
  fields?: { path: string[]; field: unknown }[];
  customResultMapper?: unknown;
}

type Bind = (values: Record<string, unknown>) => unknown;

function binder(param: unknown): Bind | undefined {
  if (is(param, Placeholder)) {
    const { name } = param;
    return (values) => {
      if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
      return values[name];
    };
  }
  if (is(param, Param)) {
    if (!is(param.value, Placeholder)) return () => param.value;
    const { name } = param.value;
    const encoder = param.encoder as { mapToDriverValue(v: unknown): unknown };
    return (values) => {
      if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`);
      return encoder.mapToDriverValue(values[name]);
    };
  }
  if (param === null || ['string', 'number', 'bigint'].includes(typeof param) || Buffer.isBuffer(param)) return () => param;
  return undefined;
}

/** The row builder for a flat list of columns: key and decoder (undefined: the driver's value as is) per position. */
function rowBuilder(fields: NonNullable<DrizzlePrepared['fields']>): ((raw: unknown[]) => Record<string, unknown>) | undefined {
  const keys: string[] = [];
  const decoders: (((v: unknown) => unknown) | undefined)[] = [];
  for (const { path, field } of fields) {
    if (path.length !== 1 || !is(field, Column)) return undefined;
    keys.push(path[0]);
    const decode = field.mapFromDriverValue;
    decoders.push(decode === Column.prototype.mapFromDriverValue ? undefined : decode.bind(field));
  }
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = raw[i];
      const decode = decoders[i];
      row[keys[i]] = value === null || decode === undefined ? value : decode(value);
    }
    return row;
  };
}

/** The hot statement for drizzle's prepared query, or undefined when its shape is not a plain one. */
export function hotStatement(prepared: unknown): HotStatement | undefined {
  const { stmt, query, fields, customResultMapper } = (prepared ?? {}) as DrizzlePrepared;
  // (drizzle's joinsNotNullableMap matters only for nested keys, which rowBuilder leaves to drizzle.)
  if (!stmt || !query || customResultMapper) return undefined;
  const binds = query.params.map(binder);
  if (binds.some((b) => b === undefined)) return undefined;
  const bind = (values: Record<string, unknown> = {}) => (binds as Bind[]).map((b) => b(values));
  if (!fields) {
    // A write without RETURNING (or one whose rows nobody maps): the driver's own objects.
    return {
      get: (params) => stmt.get(...bind(params)),
      all: (params) => stmt.all(...bind(params)),
      run: (params) => stmt.run(...bind(params)),
    };
  }
  const build = rowBuilder(fields);
  if (!build) return undefined;
  // Rows as arrays: the columns are copied by position into objects with the builder's keys.
  const rows = stmt.raw(true);
  return {
    get: (params) => {
      const raw = rows.get(...bind(params)) as unknown[] | undefined;
      return raw === undefined ? undefined : build(raw);
    },
    all: (params) => (rows.all(...bind(params)) as unknown[][]).map(build),
    run: (params) => stmt.run(...bind(params)),
  };
}
