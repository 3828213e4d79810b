import type { AmocrmCall } from './call.ts';
import type { RateBudget } from './rate-budget.ts';
import type { Answer, Send, SendTarget } from './transport.ts';

/** The slot was given up because the token was rejected while the call waited: nothing was sent. */
export type Stale = { stale: true };

export type BudgetedSend = (target: SendTarget, call: AmocrmCall, stillValid?: () => boolean) => Promise<Answer | Stale>;

/**
 * Every request waits for a slot in its account's budget and holds it until its answer is in. A
 * call whose token was retired while it waited (`stillValid`) gives the slot up unsent.
 */
export function withRateBudget(budget: RateBudget, send: Send): BudgetedSend {
  return async (target, call, stillValid) => {
    const permit = await budget.acquire(target.budgetKey);
    try {
      if (stillValid && !stillValid()) return { stale: true };
      return await send(target, call);
    } finally {
      await permit.release();
    }
  };
}
