import { answersInteractiveCalls } from '../../accounts/account-standing.ts';
import { ForbiddenError, isAppError } from '../../errors/app-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Clock } from '../../platform/clock.ts';
import type { AccountContext } from '../../accounts/account-context.ts';
import { withDeadline } from '../deadline.ts';

/** How long amoCRM's answer about a user's admin rights is trusted. */
export const ADMIN_ANSWER_TTL_MS = 5 * 60_000;
/** How long a widget call waits for that answer. */
export const ADMIN_LOOKUP_DEADLINE_MS = 3_000;
/** Entries kept; the oldest go first. */
const MAX_ENTRIES = 10_000;

export type AdminSource = 'claim' | 'cache' | 'amocrm' | 'unavailable';

export interface AdminAnswer {
  isAdmin: boolean;
  source: AdminSource;
  /** Why amoCRM could not say (source `unavailable`). */
  error?: string;
}

/**
 * Whether the caller is an account admin. The token's `is_admin` claim decides when it has one;
 * amoCRM documents no such claim, so when it is absent the server asks amoCRM
 * (`GET /api/v4/users/{user_id}` → `rights.is_admin`, with the account's own token).
 *
 * The answer is cached here, in this process's memory, per account and user, for five minutes:
 * it is safe because the key is the account the token was verified for plus its user (no account
 * can read another's answer), a positive answer outlives a demotion in amoCRM by at most five
 * minutes (less than the 30 minutes a token carrying `is_admin` would), nothing is written to disk
 * (a restart just asks again), the map is bounded, and a failed lookup is never cached: it is asked
 * again on the next call, and meanwhile admin-only calls fail closed.
 */
export interface AdminCheck {
  answer(caller: AdminCaller): Promise<AdminAnswer>;
}

/** Who asks: the verified token's account, user and `is_admin` claim, and the account in hand. */
export interface AdminCaller {
  accountId: number;
  userId: number;
  adminClaim: boolean | undefined;
  account: AccountContext;
}

export function createAdminCheck(deps: { clock: Clock; logger: Logger; onAnswer?: (source: AdminSource) => void }): AdminCheck {
  const cache = new Map<string, { isAdmin: boolean; at: number }>();
  const report = (a: AdminAnswer): AdminAnswer => {
    deps.onAnswer?.(a.source);
    return a;
  };
  return {
    async answer(auth) {
      if (auth.adminClaim !== undefined) return report({ isAdmin: auth.adminClaim, source: 'claim' });
      const key = `${auth.accountId}:${auth.userId}`;
      const now = deps.clock.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < ADMIN_ANSWER_TTL_MS) return report({ isAdmin: hit.isAdmin, source: 'cache' });
      try {
        if (!answersInteractiveCalls(auth.account.account)) throw new Error(`the account is ${auth.account.state}`);
        const user = await withDeadline(auth.account.amocrm.users.rights(auth.userId), ADMIN_LOOKUP_DEADLINE_MS);
        const isAdmin = user?.isAdmin === true;
        cache.delete(key);
        if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
        cache.set(key, { isAdmin, at: now });
        return report({ isAdmin, source: 'amocrm' });
      } catch (err) {
        const error = isAppError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
        deps.logger.warn('widget api: amoCRM could not say whether the user is an admin', {
          accountId: auth.accountId,
          userId: auth.userId,
          error,
        });
        return report({ isAdmin: false, source: 'unavailable', error });
      }
    },
  };
}

/** The 403 of an admin-only call when amoCRM could not be asked: fail closed, saying why and what to do. */
export function adminUnverifiable(error: string | undefined): ForbiddenError {
  return new ForbiddenError(
    'admin_check_unavailable',
    `Your amoCRM token does not say whether you are an account administrator, and amoCRM could not be asked (${error ?? 'no answer'}). Try again in a minute; if it persists, the user who installed dramlink must be an amoCRM administrator (run npm run doctor on the server).`,
  );
}
