import { allowOnlyLoopback } from './net-guard.ts';

// Tests reach only loopback: everything else must be mocked with nock or served by our emulators.
allowOnlyLoopback();

process.env.LOG_LEVEL ??= 'error';
