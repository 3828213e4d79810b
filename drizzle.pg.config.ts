import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL migrations, generated from the twin schema (schema-pg.ts) by `npm run db:generate`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema-pg.ts',
  out: './server/db/migrations-pg',
});
