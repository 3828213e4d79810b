import type { RequestHandler, Response } from 'express';
import type { AccountContext, AccountContexts } from '../../accounts/account-context.ts';
import { notInstalledRefusal, widgetRefusal } from '../../accounts/account-standing.ts';
import { ForbiddenError } from '../../errors/app-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Clock } from '../../platform/clock.ts';
import { forgetForeignOrigin } from '../cors.ts';
import type { JtiStore } from './replay.ts';
import { CLOCK_TOLERANCE_SEC, TokenError, type TokenVerifier, type VerifiedToken } from './verify-token.ts';

/** Who is calling, from the verified token only (never from the body or the path), and their account, read once. */
export interface WidgetAuth {
  accountId: number;
  userId: number;
  isAdmin: boolean;
  /** As written in history and notes: "user:123". */
  actor: string;
  /** The caller's account for this request: state, settings, base URL and its bound amoCRM client. */
  account: AccountContext;
}

const KEY = 'widgetAuth';

export function authOf(res: Response): WidgetAuth {
  const auth = res.locals[KEY] as WidgetAuth | undefined;
  if (!auth) throw new Error('widget route mounted without the auth middleware');
  return auth;
}

export interface WidgetAuthDeps {
  accounts: Pick<AccountContexts, 'load'>;
  clock: Clock;
  logger: Logger;
  verifier: TokenVerifier;
  jti: JtiStore;
  /** AMOCRM_TOKEN_REPLAY: reject (401 token_replayed) or log (accept and warn). */
  replay: 'reject' | 'log';
}

/** The token's account, installed under the subdomain the token names. */
function accountOf(deps: WidgetAuthDeps, token: VerifiedToken): AccountContext {
  const ctx = deps.accounts.load(token.accountId);
  if (!ctx) throw notInstalledRefusal(token.accountId);
  if (ctx.account.subdomain.toLowerCase() !== token.subdomain) {
    throw new TokenError(
      'token_issuer_mismatch',
      `The X-Auth-Token names subdomain "${token.subdomain}", but account ${token.accountId} is installed as "${ctx.account.subdomain}".`,
    );
  }
  return ctx;
}

function consumeJti(deps: WidgetAuthDeps, token: VerifiedToken, requestId: unknown): void {
  if (deps.jti.consume(token.jti, (token.exp + CLOCK_TOLERANCE_SEC) * 1000)) return;
  if (deps.replay === 'reject') {
    throw new TokenError(
      'token_replayed',
      'This X-Auth-Token was already used: each disposable token is accepted once. Request a new one through $authorizedAjax.',
    );
  }
  deps.logger.warn('disposable token reused (AMOCRM_TOKEN_REPLAY=log: accepted)', {
    accountId: token.accountId,
    userId: token.userId,
    requestId,
  });
}

/**
 * Authenticates every widget call: verifies the X-Auth-Token, reads the installed account once for
 * the whole request, accepts each `jti` once, and refuses what the account's state does not allow
 * (server/accounts/account-standing.ts: reads answer while it must reconnect or is blocked, so the
 * panel can show the payments and say what to do; writes get a 409 the widget shows as is).
 */
export function widgetAuth(deps: WidgetAuthDeps): RequestHandler {
  return (req, res, next) => {
    const token = deps.verifier.verify(req.get('x-auth-token'), deps.clock.now());
    const account = accountOf(deps, token);
    const refusal = widgetRefusal(account.account, req.method);
    if (refusal) throw refusal;
    consumeJti(deps, token, res.locals.requestId);
    forgetForeignOrigin(res, req.get('origin'), account.account.subdomain);
    const auth: WidgetAuth = {
      accountId: token.accountId,
      userId: token.userId,
      isAdmin: token.isAdmin,
      actor: `user:${token.userId}`,
      account,
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
