import type { StrangerLimits } from '../http/stranger-limits.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';

/**
 * What the pay page needs: the ledger and providers (to open and verify attempts), the public URL,
 * and the budget of customer requests that cost a provider call (absent: unlimited, unit tests).
 */
export type PayPageDeps = VerifyDeps & { publicUrl: string; limits?: StrangerLimits };
