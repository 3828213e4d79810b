import { answersInteractiveCalls } from '../accounts/account-standing.ts';
import { isAppError } from '../errors/app-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { WidgetAuth } from './auth/middleware.ts';
import { withDeadline } from './lead-price.ts';

/** Users change rarely: one amoCRM read per account every few hours is plenty. */
const TTL_MS = 6 * 3_600_000;
/** A note without a name is better than a slow click: give up quickly and write the id. */
const DEADLINE_MS = 1_500;
/**
 * amoCRM lets only an admin's token list users: when the installing user is not one, the lookup
 * answers 403 (a rights error, never a block: server/amocrm/retry-policy.ts), and is not asked again
 * for this long.
 */
const FORBIDDEN_RETRY_MS = 30 * 60_000;

async function readNames(auth: WidgetAuth): Promise<Map<number, string>> {
  return new Map((await auth.account.amocrm.users.list()).map((u) => [u.id, u.name] as const));
}

/**
 * The manager's name for notes ("created by Anna"), from amoCRM's user list, cached per account.
 * Undefined when amoCRM is slow or down, or the account is not active: the note then names the id.
 */
export function createUserNames(deps: { clock: Clock; logger: Logger }) {
  const cache = new Map<number, { at: number; names: Map<number, string> }>();
  /** Accounts whose lookup amoCRM refused for rights, until when it is not asked again. */
  const refusedUntil = new Map<number, number>();
  return async function nameOf(auth: WidgetAuth): Promise<string | undefined> {
    if (!answersInteractiveCalls(auth.account.account)) return undefined;
    const now = deps.clock.now();
    if ((refusedUntil.get(auth.accountId) ?? 0) > now) return undefined;
    let entry = cache.get(auth.accountId);
    // A manager added since the last read is looked up again, but not more than every few minutes.
    const stale = !entry || now - entry.at > TTL_MS || (!entry.names.has(auth.userId) && now - entry.at > 5 * 60_000);
    if (stale) {
      try {
        entry = { at: now, names: await withDeadline(readNames(auth), DEADLINE_MS) };
        cache.set(auth.accountId, entry);
      } catch (err) {
        const code = isAppError(err) ? err.code : undefined;
        deps.logger.warn('widget api: manager names unavailable', { accountId: auth.accountId, code });
        // Rights do not come back by themselves: remember the refusal instead of asking on every click.
        if (code === 'amocrm_forbidden') refusedUntil.set(auth.accountId, now + FORBIDDEN_RETRY_MS);
        return undefined;
      }
    }
    return entry!.names.get(auth.userId);
  };
}
