import { eq } from 'drizzle-orm';
import jwt from 'jsonwebtoken';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Db } from '../db/database.ts';
import { accounts } from '../db/schema.ts';
import { AppError, ValidationError } from '../errors/app-error.ts';
import { resolveException } from '../exceptions/open-exception.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import { RECONNECT_EXCEPTION_KEY } from './account-guard.ts';
import { accountBaseUrl, parseReferer } from './base-url.ts';
import type { AmocrmClient } from './client.ts';
import { AmocrmError } from './errors.ts';
import { ensureLeadFields } from './lead-fields.ts';
import { exchangeGrant, GrantRejectedError } from './oauth-exchange.ts';
import { oauthSettings } from './token-refresher.ts';
import { writeTokens } from './token-store.ts';

/** The query amoCRM sends to the redirect URI (amocrm.md, Confirmations 1 and 4). */
export interface InstallInput {
  code?: string;
  referer?: string;
  state?: string;
  fromWidget?: string;
  platform?: string;
  /** `access_denied` when the admin refused. */
  error?: string;
}

export interface InstallResult {
  accountId: number;
  subdomain: string;
  baseDomain: string;
  name: string | null;
  /** The account had installed before (tokens replaced, settings and payments kept). */
  reinstalled: boolean;
  /** Whether the lead fields are ready; when not, the sync worker creates them before its first write. */
  fields: 'ready' | 'pending';
  fieldsError?: string;
}

export interface InstallDeps {
  db: Db;
  clock: Clock;
  http: HttpClient;
  logger: Logger;
  secretBox: SecretBox;
  client: AmocrmClient;
  amocrm: { clientId?: string; clientSecret?: string; redirectUri: string; baseUrl?: string };
  timeoutMs: number;
}

/** `account_id` and `sub` (the user) of amoCRM's access token, read without verifying (it came straight from the token endpoint). */
export function accountFromToken(accessToken: string): AmoAccount | undefined {
  const claims = jwt.decode(accessToken);
  if (!claims || typeof claims !== 'object') return undefined;
  const id = Number((claims as Record<string, unknown>).account_id);
  const user = Number((claims as Record<string, unknown>).sub);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return { id, ...(Number.isSafeInteger(user) && user > 0 ? { current_user_id: user } : {}) };
}

interface AmoAccount {
  id: number;
  name?: string;
  subdomain?: string;
  current_user_id?: number;
}

/**
 * Flow 1: the admin's authorization code arrives once and is never resent. Exchange it at the
 * account's host, store the pair sealed, read the account, mark it active, then find or create the
 * lead fields. A code that amoCRM refuses (used, expired, someone else's) fails before anything is
 * stored. Logs say enough to finish an install by hand, never the code or a token.
 */
export async function installAccount(deps: InstallDeps, input: InstallInput): Promise<InstallResult> {
  const { db, clock, logger } = deps;
  const startedAt = new Date(clock.now()).toISOString();
  const trace = {
    referer: input.referer,
    fromWidget: input.fromWidget,
    platform: input.platform,
    hasState: Boolean(input.state),
    at: startedAt,
  };
  if (input.error) {
    logger.warn('amocrm install: the admin refused access', { ...trace, error: input.error });
    throw new ValidationError(
      'install_refused',
      `amoCRM reported "${input.error}": the administrator did not allow access, so nothing was installed.`,
    );
  }
  if (!input.code)
    throw new ValidationError('missing_code', 'amoCRM did not send an authorization code. Install the integration again from amoCRM.');
  const host = parseReferer(input.referer);
  if (!host) {
    logger.warn('amocrm install: refused a referer that is not an amoCRM/Kommo account host', trace);
    throw new ValidationError(
      'invalid_referer',
      'The referer is not an amoCRM or Kommo account address (*.amocrm.ru, *.amocrm.com, *.kommo.com).',
    );
  }
  const settings = oauthSettings(deps.amocrm);
  const baseUrl = accountBaseUrl(deps.amocrm, host);
  logger.info('amocrm install: exchanging the authorization code', trace);

  let pair;
  try {
    pair = await exchangeGrant(deps.http, {
      baseUrl,
      settings,
      grant: { grant_type: 'authorization_code', code: input.code },
      timeoutMs: deps.timeoutMs,
    });
  } catch (err) {
    logger.warn('amocrm install: code exchange failed; nothing was stored', { ...trace, error: (err as Error).message });
    if (err instanceof GrantRejectedError) {
      throw new AppError(
        'install_code_rejected',
        400,
        'amoCRM refused the authorization code: it was already used, is older than 20 minutes, or belongs to another integration. Nothing was changed; install the integration again from amoCRM to get a new code.',
      );
    }
    throw err;
  }

  // The code is spent now and amoCRM never sends it again: keep the pair whatever happens next.
  let account: AmoAccount | undefined;
  try {
    // The token names the account: this read counts in that account's budget like every later call
    // (under key 0 it went unseen, and the install's first second could carry an 8th request).
    const budgetKey = accountFromToken(pair.accessToken)?.id ?? 0;
    const res = await deps.client.requestWithToken<AmoAccount>(
      { budgetKey, baseUrl, accessToken: pair.accessToken },
      { method: 'GET', path: '/api/v4/account' },
    );
    account = res.data && Number.isSafeInteger(res.data.id) ? res.data : undefined;
    if (!account) throw new AmocrmError('amocrm_bad_response', 'amoCRM answered GET /api/v4/account without an account id');
  } catch (err) {
    // The access token is a JWT naming the account and the user: enough to connect now and read the rest later.
    account = accountFromToken(pair.accessToken);
    if (!account) {
      logger.error('amocrm install: code exchanged but the account is unknown; the tokens are lost and the admin must install again', {
        ...trace,
        error: (err as Error).message,
      });
      throw err;
    }
    logger.warn("amocrm install: the account could not be read; connected from the token's claims", {
      ...trace,
      accountId: account.id,
      error: (err as Error).message,
    });
  }
  const accountId = account.id;
  const now = clock.now();
  const reinstalled = db.transaction(
    (tx) => {
      const existing = tx
        .select({ state: accounts.state, blockedUntil: accounts.blockedUntil })
        .from(accounts)
        .where(eq(accounts.id, accountId))
        .get();
      // A reinstall does not lift an amoCRM block; everything else becomes active.
      const stillBlocked = existing?.state === 'blocked' && (existing.blockedUntil ?? 0) > now;
      const row = {
        subdomain: host.subdomain,
        baseDomain: host.baseDomain,
        name: account!.name ?? null,
        installedBy: account!.current_user_id ?? null,
        updatedAt: now,
      };
      if (existing) {
        tx.update(accounts)
          .set({ ...row, ...(stillBlocked ? {} : { state: 'active' as const, stateReason: null, blockedUntil: null }) })
          .where(eq(accounts.id, accountId))
          .run();
      } else {
        tx.insert(accounts)
          .values({ id: accountId, ...row, state: 'active', createdAt: now })
          .run();
      }
      writeTokens(tx, deps.secretBox, accountId, pair, now);
      resolveException(tx, { accountId, key: RECONNECT_EXCEPTION_KEY, now });
      return existing !== undefined;
    },
    { behavior: 'immediate' },
  );
  logger.info('amocrm install: account connected', { ...trace, accountId, subdomain: host.subdomain, reinstalled });

  const result: InstallResult = {
    accountId,
    subdomain: host.subdomain,
    baseDomain: host.baseDomain,
    name: account.name ?? null,
    reinstalled,
    fields: 'ready',
  };
  try {
    await ensureLeadFields({ db, clock, logger, client: deps.client }, accountId);
  } catch (err) {
    result.fields = 'pending';
    result.fieldsError = (err as Error).message;
    logger.error('amocrm install: the lead fields could not be created yet; the sync worker retries before its first write', {
      ...trace,
      accountId,
      error: (err as Error).message,
    });
  }
  return result;
}
