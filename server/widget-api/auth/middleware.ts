import { eq } from 'drizzle-orm';
import type { RequestHandler, Response } from 'express';
import type { Db } from '../../db/database.ts';
import { accounts } from '../../db/schema.ts';
import { ConflictError, ForbiddenError } from '../../errors/app-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Clock } from '../../platform/clock.ts';
import { forgetForeignOrigin } from '../cors.ts';
import type { JtiStore } from './replay.ts';
import { CLOCK_TOLERANCE_SEC, TokenError, type TokenVerifier } from './verify-token.ts';

export type AccountState = 'active' | 'needs_reconnect' | 'disconnected' | 'blocked';

/** Who is calling, from the verified token only (never from the body or the path). */
export interface WidgetAuth {
  accountId: number;
  userId: number;
  isAdmin: boolean;
  /** As written in history and notes: "user:123". */
  actor: string;
  accountState: AccountState;
  accountSubdomain: string;
}

const KEY = 'widgetAuth';

export function authOf(res: Response): WidgetAuth {
  const auth = res.locals[KEY] as WidgetAuth | undefined;
  if (!auth) throw new Error('widget route mounted without the auth middleware');
  return auth;
}

export interface WidgetAuthDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  verifier: TokenVerifier;
  jti: JtiStore;
  /** AMOCRM_TOKEN_REPLAY: reject (401 token_replayed) or log (accept and warn). */
  replay: 'reject' | 'log';
}

const STATE_REFUSAL: Record<Exclude<AccountState, 'active'>, { code: string; message: string }> = {
  disconnected: {
    code: 'account_not_connected',
    message:
      'dramlink is disconnected from this account. An account administrator must install the integration again (Settings → Integrations → dramlink).',
  },
  needs_reconnect: {
    code: 'account_needs_reconnect',
    message:
      'dramlink lost access to this amoCRM account. An account administrator must reconnect it (Settings → Integrations → dramlink → reinstall); payments keep working and the lead will catch up after that.',
  },
  blocked: {
    code: 'account_blocked',
    message:
      'amoCRM has temporarily blocked API access for this account, so dramlink cannot update leads right now. Try again later; payments already sent keep working.',
  },
};

/**
 * Authenticates every widget call: verifies the X-Auth-Token, finds the installed account, accepts
 * each `jti` once, and refuses changes while the account cannot be synced. Reads (GET) still
 * answer for an account that must reconnect or is blocked, so the panel can show the payments and
 * say what to do; writes get a 409 with a message the widget shows as is.
 */
export function widgetAuth(deps: WidgetAuthDeps): RequestHandler {
  return (req, res, next) => {
    const token = deps.verifier.verify(req.get('x-auth-token'), deps.clock.now());

    const account = deps.db
      .select({ state: accounts.state, subdomain: accounts.subdomain })
      .from(accounts)
      .where(eq(accounts.id, token.accountId))
      .get();
    if (!account) {
      throw new ConflictError(
        'account_not_connected',
        `amoCRM account ${token.accountId} has not installed dramlink. An account administrator must install the integration first (Settings → Integrations → dramlink).`,
      );
    }
    if (account.subdomain.toLowerCase() !== token.subdomain) {
      throw new TokenError(
        'token_issuer_mismatch',
        `The X-Auth-Token names subdomain "${token.subdomain}", but account ${token.accountId} is installed as "${account.subdomain}".`,
      );
    }
    const state = account.state as AccountState;
    if (state === 'disconnected' || (state !== 'active' && req.method !== 'GET')) {
      const refusal = STATE_REFUSAL[state];
      throw new ConflictError(refusal.code, refusal.message, { accountState: state });
    }

    const fresh = deps.jti.consume(token.jti, (token.exp + CLOCK_TOLERANCE_SEC) * 1000);
    if (!fresh) {
      if (deps.replay === 'reject') {
        throw new TokenError(
          'token_replayed',
          'This X-Auth-Token was already used: each disposable token is accepted once. Request a new one through $authorizedAjax.',
        );
      }
      deps.logger.warn('disposable token reused (AMOCRM_TOKEN_REPLAY=log: accepted)', {
        accountId: token.accountId,
        userId: token.userId,
        requestId: res.locals.requestId,
      });
    }

    forgetForeignOrigin(res, req.get('origin'), account.subdomain);
    const auth: WidgetAuth = {
      accountId: token.accountId,
      userId: token.userId,
      isAdmin: token.isAdmin,
      actor: `user:${token.userId}`,
      accountState: state,
      accountSubdomain: account.subdomain,
    };
    res.locals[KEY] = auth;
    next();
  };
}

/** Refunds and settings: account administrators only (`is_admin` in the token). */
export function requireAdmin(): RequestHandler {
  return (_req, res, next) => {
    if (!authOf(res).isAdmin) {
      throw new ForbiddenError('admin_only', 'Only an account administrator can do this. Ask an administrator of this amoCRM account.');
    }
    next();
  };
}
