import type { RequestHandler, Response } from 'express';
import type { AccountContext, AccountContexts } from '../../accounts/account-context.ts';
import { notInstalledRefusal, widgetRefusal } from '../../accounts/account-standing.ts';
import { ForbiddenError } from '../../errors/app-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Clock } from '../../platform/clock.ts';
import { forgetForeignOrigin } from '../cors.ts';
import { adminUnverifiable, type AdminCheck } from './admin-check.ts';
import type { JtiStore, JtiUse } from './replay.ts';
import type { TokenClaimsRecorder } from './token-claims.ts';
import { CLOCK_TOLERANCE_SEC, TokenError, type TokenVerifier, type VerifiedToken } from './verify-token.ts';

/** Who is calling, from the verified token only (never from the body or the path), and their account, read once. */
export interface WidgetAuth {
  accountId: number;
  userId: number;
  /** `is_admin === true` in the token; when the claim is absent, ask `AdminCheck` (requireAdmin does). */
  isAdmin: boolean;
  /** The token's `is_admin` claim as sent; undefined when amoCRM left it out. */
  adminClaim: boolean | undefined;
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
  /** AMOCRM_TOKEN_REPLAY: reject (401 token_replayed) or log (accept, count, warn once per token). */
  replay: 'reject' | 'log';
  /** Records the shape of this account's tokens (claim names, lifetime, reuse) for doctor. */
  claims?: TokenClaimsRecorder;
  /** Counts each reuse: `accepted` (log) or `rejected` (reject, or another account's or user's jti). */
  onReuse?: (outcome: 'accepted' | 'rejected') => void;
}

/** The token's account, installed under the subdomain the token names. */
async function accountOf(deps: WidgetAuthDeps, token: VerifiedToken): Promise<AccountContext> {
  const ctx = await deps.accounts.load(token.accountId);
  if (!ctx) throw notInstalledRefusal(token.accountId);
  if (ctx.account.subdomain.toLowerCase() !== token.subdomain) {
    throw new TokenError(
      'token_issuer_mismatch',
      `The X-Auth-Token names subdomain "${token.subdomain}", but account ${token.accountId} is installed as "${ctx.account.subdomain}".`,
    );
  }
  return ctx;
}

/**
 * A token id seen before within its validity. amoCRM does not document that $authorizedAjax mints
 * a new token per request, so by default (AMOCRM_TOKEN_REPLAY=log) a reuse by the same account and
 * user is accepted, counted and logged once per token; `reject` refuses it. The same id in another
 * account's or user's token is never accepted.
 */
async function consumeJti(deps: WidgetAuthDeps, token: VerifiedToken, requestId: unknown): Promise<JtiUse> {
  const use = await deps.jti.consume({
    jti: token.jti,
    expiresAtMs: (token.exp + CLOCK_TOLERANCE_SEC) * 1000,
    accountId: token.accountId,
    userId: token.userId,
    countReuse: deps.replay === 'log',
  });
  if (use === 'first') return use;
  if (use === 'foreign' || deps.replay === 'reject') {
    deps.onReuse?.('rejected');
    // Refused, yet what amoCRM does is recorded (only the shape, for doctor: its fix is AMOCRM_TOKEN_REPLAY=log).
    if (use !== 'foreign') await deps.claims?.record(token, true);
    throw new TokenError(
      'token_replayed',
      use === 'foreign'
        ? 'This X-Auth-Token id was already used by another user or account: it is refused. Request a new one through $authorizedAjax.'
        : 'This X-Auth-Token was already used: each disposable token is accepted once (AMOCRM_TOKEN_REPLAY=reject). Request a new one through $authorizedAjax.',
    );
  }
  deps.onReuse?.('accepted');
  if (use === 'reused') {
    deps.logger.warn('disposable token reused within its validity (AMOCRM_TOKEN_REPLAY=log: accepted; logged once per token)', {
      accountId: token.accountId,
      userId: token.userId,
      requestId,
    });
  }
  return use;
}

/**
 * Authenticates every widget call: verifies the X-Auth-Token, reads the installed account once for
 * the whole request, accepts each `jti` once, and refuses what the account's state does not allow
 * (server/accounts/account-standing.ts: reads answer while it must reconnect or is blocked, so the
 * panel can show the payments and say what to do; writes get a 409 the widget shows as is).
 */
export function widgetAuth(deps: WidgetAuthDeps): RequestHandler {
  return async (req, res, next) => {
    const token = deps.verifier.verify(req.get('x-auth-token'), deps.clock.now());
    const account = await accountOf(deps, token);
    const refusal = widgetRefusal(account.account, req.method);
    if (refusal) throw refusal;
    const use = await consumeJti(deps, token, res.locals.requestId);
    await deps.claims?.record(token, use !== 'first');
    forgetForeignOrigin(res, req.get('origin'), account.account.subdomain);
    const auth: WidgetAuth = {
      accountId: token.accountId,
      userId: token.userId,
      isAdmin: token.isAdmin,
      adminClaim: token.adminClaim,
      actor: `user:${token.userId}`,
      account,
    };
    res.locals[KEY] = auth;
    next();
  };
}

/**
 * Refunds, settings, capture, void, diagnostics: account administrators only. The token's `is_admin`
 * decides when it has the claim; otherwise amoCRM is asked (admin-check.ts), and an admin-only call
 * fails closed (403 `admin_check_unavailable`) when amoCRM cannot say.
 */
export function requireAdmin(check: AdminCheck): RequestHandler {
  return async (_req, res, next) => {
    const answer = await check.answer(authOf(res));
    if (answer.source === 'unavailable') throw adminUnverifiable(answer.error);
    if (!answer.isAdmin) {
      throw new ForbiddenError('admin_only', 'Only an account administrator can do this. Ask an administrator of this amoCRM account.');
    }
    next();
  };
}
