import type { Statement } from 'better-sqlite3';
import { Column, is, Param, Placeholder } from 'drizzle-orm';

/**
 * A hot statement kept by `Tx.prepared` on SQLite, run straight on better-sqlite3 (docs/architecture.md,
 * The stores). drizzle's prepared query does per call what never changes between calls: it looks
 * up every parameter's kind and every column's decoder again, and builds each row through a
 * generic reducer. On the notification path that was more JavaScript than SQLite's own work. Here
 * the parameter order and the decoders are read once, from the query drizzle built, into two small
 * functions written for that statement (its parameters as one array, its row as one object literal),
 * and each call only runs them.
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

/** How one parameter gets its value: a placeholder's name (encoded or not), or a constant. */
type ParamSource = { name: string; encode?: (v: unknown) => unknown } | { constant: unknown };

function paramSource(param: unknown): ParamSource | undefined {
  if (is(param, Placeholder)) return { name: param.name };
  if (is(param, Param)) {
    if (!is(param.value, Placeholder)) return { constant: param.value };
    const encoder = param.encoder as { mapToDriverValue(v: unknown): unknown };
    return { name: param.value.name, encode: (v) => encoder.mapToDriverValue(v) };
  }
  if (param === null || ['string', 'number', 'bigint'].includes(typeof param) || Buffer.isBuffer(param)) return { constant: param };
  return undefined;
}

/**
 * The parameters' values in order, from the call's named values: a function written once per
 * statement (the names are drizzle's placeholders, the constants its own), so a call is one array
 * literal instead of a loop over the parameters' kinds.
 */
function binder(sources: ParamSource[]): (values: Record<string, unknown>) => unknown[] {
  const names = [...new Set(sources.flatMap((s) => ('name' in s ? [s.name] : [])))];
  const checks = names
    .map((n) => `if (!(${JSON.stringify(n)} in v)) throw new Error(${JSON.stringify(`No value for placeholder "${n}" was provided`)});`)
    .join(' ');
  const items = sources.map((s, i) =>
    'constant' in s ? `c[${i}]` : s.encode ? `e[${i}](v[${JSON.stringify(s.name)}])` : `v[${JSON.stringify(s.name)}]`,
  );
  const constants = sources.map((s) => ('constant' in s ? s.constant : undefined));
  const encoders = sources.map((s) => ('encode' in s ? s.encode : undefined));
  // Written from drizzle's placeholder names only, each quoted.
  return new Function('c', 'e', `return function bind(v) { ${checks} return [${items.join(', ')}]; };`)(constants, encoders) as (
    values: Record<string, unknown>,
  ) => unknown[];
}

/**
 * The row builder for a flat list of columns: an object literal with the query's keys, each
 * column's value decoded when its type maps driver values (booleans, JSON), written once per
 * statement so every row it makes has the same shape. Undefined for nested keys (joins).
 */
function rowBuilder(fields: NonNullable<DrizzlePrepared['fields']>): ((raw: unknown[]) => Record<string, unknown>) | undefined {
  const decoders: (((v: unknown) => unknown) | undefined)[] = [];
  const entries: string[] = [];
  for (const [i, { path, field }] of fields.entries()) {
    if (path.length !== 1 || !is(field, Column)) return undefined;
    const decode = field.mapFromDriverValue;
    const plain = decode === Column.prototype.mapFromDriverValue;
    decoders.push(plain ? undefined : decode.bind(field));
    entries.push(`${JSON.stringify(path[0])}: ${plain ? `r[${i}]` : `r[${i}] === null ? null : d[${i}](r[${i}])`}`);
  }
  // Written from the schema's column keys only, each quoted.
  return new Function('d', `return function build(r) { return { ${entries.join(', ')} }; };`)(decoders) as (
    raw: unknown[],
  ) => Record<string, unknown>;
}

/** The hot statement for drizzle's prepared query, or undefined when its shape is not a plain one. */
export function hotStatement(prepared: unknown): HotStatement | undefined {
  const { stmt, query, fields, customResultMapper } = (prepared ?? {}) as DrizzlePrepared;
  // (drizzle's joinsNotNullableMap matters only for nested keys, which rowBuilder leaves to drizzle.)
  if (!stmt || !query || customResultMapper) return undefined;
  const sources = query.params.map(paramSource);
  if (sources.some((s) => s === undefined)) return undefined;
  const bindValues = binder(sources as ParamSource[]);
  const bind = (values: Record<string, unknown> = {}) => bindValues(values);
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
