import jwt from 'jsonwebtoken';
import { recordInstall } from '../accounts/account-store.ts';
import { findAccount } from '../accounts/account-store.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../db/store.ts';
import { AppError, ValidationError } from '../errors/app-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import { accountBaseUrl, parseReferer, type AccountHost } from './base-url.ts';
import type { AmocrmClient } from './client.ts';
import { bindEndpoints, type AmoAccount } from './endpoints/index.ts';
import { ensureLeadFields } from './lead-fields.ts';
import { exchangeGrant, GrantRejectedError } from './oauth-exchange.ts';
import { oauthSettings } from './token-refresher.ts';
import { writeTokens, type TokenPair } from './token-store.ts';

/**
 * The query amoCRM sends to the redirect URI after an admin allows access
 * (https://www.amocrm.ru/developers/content/oauth/step-by-step).
 */
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
  store: Store;
  clock: Clock;
  http: HttpClient;
  logger: Logger;
  secretBox: SecretBox;
  client: AmocrmClient;
  amocrm: { clientId?: string; clientSecret?: string; redirectUri: string; baseUrl?: string };
  timeoutMs: number;
}

type Trace = Record<string, unknown>;

/** `account_id` and `sub` (the user) of amoCRM's access token, read without verifying (it came straight from the token endpoint). */
export function accountFromToken(accessToken: string): AmoAccount | undefined {
  const claims = jwt.decode(accessToken);
  if (!claims || typeof claims !== 'object') return undefined;
  const id = Number((claims as Record<string, unknown>).account_id);
  const user = Number((claims as Record<string, unknown>).sub);
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return { id, ...(Number.isSafeInteger(user) && user > 0 ? { current_user_id: user } : {}) };
}

/** The checks that need no network: a refusal, a missing code or a foreign host change nothing. */
function checkCallback(input: InstallInput, logger: Logger, trace: Trace): { code: string; host: AccountHost } {
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
  return { code: input.code, host };
}

async function exchangeCode(deps: InstallDeps, baseUrl: string, code: string, trace: Trace): Promise<TokenPair> {
  const settings = oauthSettings(deps.amocrm);
  deps.logger.info('amocrm install: exchanging the authorization code', trace);
  try {
    return await exchangeGrant(deps.http, {
      baseUrl,
      settings,
      grant: { grant_type: 'authorization_code', code },
      timeoutMs: deps.timeoutMs,
    });
  } catch (err) {
    deps.logger.warn('amocrm install: code exchange failed; nothing was stored', { ...trace, error: (err as Error).message });
    if (err instanceof GrantRejectedError) {
      throw new AppError(
        'install_code_rejected',
        400,
        'amoCRM refused the authorization code: it was already used, is older than 20 minutes, or belongs to another integration. Nothing was changed; install the integration again from amoCRM to get a new code.',
      );
    }
    throw err;
  }
}

/** The account behind the new token: read from amoCRM, or, when that fails, from the token's own claims. */
async function readAccount(deps: InstallDeps, baseUrl: string, pair: TokenPair, trace: Trace): Promise<AmoAccount> {
  // The token names the account: this read counts in that account's budget like every later call
  // (under key 0 it went unseen, and the install's first second could carry an 8th request).
  const budgetKey = accountFromToken(pair.accessToken)?.id ?? 0;
  const api = bindEndpoints({
    request: (call) => deps.client.requestWithToken({ budgetKey, baseUrl, accessToken: pair.accessToken }, call),
  });
  try {
    return await api.account.get();
  } catch (err) {
    // The access token is a JWT naming the account and the user: enough to connect now and read the rest later.
    const fromToken = accountFromToken(pair.accessToken);
    const error = (err as Error).message;
    if (!fromToken) {
      deps.logger.error('amocrm install: code exchanged but the account is unknown; the tokens are lost and the admin must install again', {
        ...trace,
        error,
      });
      throw err;
    }
    deps.logger.warn("amocrm install: the account could not be read; connected from the token's claims", {
      ...trace,
      accountId: fromToken.id,
      error,
    });
    return fromToken;
  }
}

/** The lead fields now if amoCRM lets us; otherwise the sync worker creates them before its first write. */
async function prepareFields(deps: InstallDeps, result: InstallResult, trace: Trace): Promise<void> {
  const account = (await deps.store.run((tx) => findAccount(tx, result.accountId)))!;
  try {
    await ensureLeadFields(deps, { account, amocrm: deps.client.forAccount(account) });
  } catch (err) {
    result.fields = 'pending';
    result.fieldsError = (err as Error).message;
    deps.logger.error('amocrm install: the lead fields could not be created yet; the sync worker retries before its first write', {
      ...trace,
      accountId: result.accountId,
      error: (err as Error).message,
    });
  }
}

/**
 * docs/architecture.md, Flows 1 Install: the admin's authorization code arrives once and is never
 * resent. Exchange it at the account's host, read the account, store the account (active) and the
 * pair sealed in one transaction, then find or create the lead fields. A code that amoCRM refuses
 * (used, expired, someone else's) fails before anything is stored. Logs say enough to finish an
 * install by hand, never the code or a token.
 */
export async function installAccount(deps: InstallDeps, input: InstallInput): Promise<InstallResult> {
  const trace: Trace = {
    referer: input.referer,
    fromWidget: input.fromWidget,
    platform: input.platform,
    hasState: Boolean(input.state),
    at: new Date(deps.clock.now()).toISOString(),
  };
  const { code, host } = checkCallback(input, deps.logger, trace);
  const baseUrl = accountBaseUrl(deps.amocrm, host);
  const pair = await exchangeCode(deps, baseUrl, code, trace);
  // The code is spent now and amoCRM never sends it again: keep the pair whatever happens next.
  const account = await readAccount(deps, baseUrl, pair, trace);
  const now = deps.clock.now();
  const installed = { id: account.id, ...host, name: account.name ?? null, installedBy: account.current_user_id ?? null };
  const { reinstalled } = await deps.store.transaction(function* (tx) {
    const outcome = yield* recordInstall(tx, installed, now);
    yield* writeTokens(tx, deps.secretBox, account.id, pair, now);
    return outcome;
  });
  deps.logger.info('amocrm install: account connected', { ...trace, accountId: account.id, subdomain: host.subdomain, reinstalled });
  const result: InstallResult = { accountId: account.id, ...host, name: installed.name, reinstalled, fields: 'ready' };
  await prepareFields(deps, result, trace);
  return result;
}
