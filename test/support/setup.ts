import { allowOnlyLoopback } from './net-guard.ts';
import { dropTestDatabases } from './stores.ts';

// Tests reach only loopback: everything else must be mocked with nock or served by our emulators.
allowOnlyLoopback();

process.env.LOG_LEVEL ??= 'error';

/** Mocha's root hooks: the PostgreSQL databases this run created are dropped at the end. */
export const mochaHooks = {
  async afterAll() {
    await dropTestDatabases();
  },
};
