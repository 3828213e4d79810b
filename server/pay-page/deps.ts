import type { VerifyDeps } from '../payments/verify-attempt.ts';

/** What the pay page needs: the ledger and providers (to open and verify attempts) and the public URL. */
export type PayPageDeps = VerifyDeps & { publicUrl: string };
