/**
 * The hot-path statements of the PostgreSQL store (`tx.prepared`), built once per process instead
 * of on every call: drizzle's query builder and its prepared-query object cost more app CPU than
 * the statement's round trip. The first build is kept as a template; each use is a thin copy of it
 * bound to the connection of the step's transaction (or to the pool, outside one). The statement is
 * named, so node-postgres parses it once per connection and then sends only Bind/Execute, and
 * PostgreSQL plans it once per connection. Prepared statements outlive a rolled-back transaction
 * and the schema changes only at start (migrations run before any statement), so a name always
 * means one text on a connection.
 */

/** What drizzle's node-postgres prepared query holds: its connection and its two query configs. */
interface DrizzlePgPrepared {
  client: unknown;
  queryConfig?: { name?: string };
  rawQueryConfig?: { name?: string };
}

/** PostgreSQL's limit on identifiers: a longer name would be cut, and two cut names could collide. */
const MAX_NAME = 63;

export interface PgStatementCache {
  /** The statement of `name` (built by `build` the first time), run on `client`. */
  on<P>(client: unknown, name: string, build: () => P): P;
}

export function createPgStatementCache(): PgStatementCache {
  const templates = new Map<string, DrizzlePgPrepared>();
  let counter = 0;
  return {
    on<P>(client: unknown, name: string, build: () => P): P {
      let template = templates.get(name);
      if (template === undefined) {
        template = build() as unknown as DrizzlePgPrepared;
        const statementName = `dl${++counter}_${name}`.slice(0, MAX_NAME);
        if (template.queryConfig) template.queryConfig.name = statementName;
        if (template.rawQueryConfig) template.rawQueryConfig.name = statementName;
        templates.set(name, template);
      }
      return Object.create(template, { client: { value: client } }) as P;
    },
  };
}
