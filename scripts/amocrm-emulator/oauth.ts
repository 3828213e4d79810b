import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { TokenPair } from './types.ts';

/** amoCRM's authorization code lives 20 minutes (https://www.amocrm.ru/developers/content/oauth/step-by-step). */
export const AUTH_CODE_TTL_MS = 20 * 60 * 1000;
/** Refresh tokens live 3 months (https://www.amocrm.ru/developers/content/oauth/step-by-step). */
export const REFRESH_TTL_MS = 90 * 24 * 3600 * 1000;

interface Grant {
  accountId: number;
  userId: number;
  expiresAt: number;
  /** Codes and refresh tokens are single-use; access tokens are "used" when expired or revoked. */
  spent: boolean;
}

export interface TokenOwner {
  accountId: number;
  userId: number;
}

export type Authentication =
  | { ok: true; accountId: number; userId: number }
  /** accountId is known when the token once was valid: recording and blocks still apply. */
  | { ok: false; accountId?: number };

export type GrantResult = { ok: true; pair: TokenPair; accountId: number } | { ok: false; accountId?: number };

/** amoCRM's codes and refresh tokens are long opaque strings starting with def502. */
const opaque = () => `def50200${randomBytes(96).toString('hex')}`;

/**
 * Codes and tokens of every account on one emulator. Since all accounts share one port, the account
 * is found from the token itself, never from the host name.
 */
export class TokenStore {
  private readonly codes = new Map<string, Grant>();
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();
  private readonly refreshes = new Map<number, number>();
  /** Access tokens are JWTs like amoCRM's; signed with a key nobody else knows, as amoCRM's RS256 ones are. */
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly opts: {
      clientId: string;
      now: () => number;
      accessTokenTtlSec: number;
      baseDomainOf: (accountId: number) => string;
    },
  ) {}

  issueCode(owner: TokenOwner): string {
    const code = opaque();
    this.codes.set(code, { ...owner, expiresAt: this.opts.now() + AUTH_CODE_TTL_MS, spent: false });
    return code;
  }

  /** Whose code or refresh token this is, valid or not: for recording and per-account faults. */
  ownerOfGrant(codeOrRefresh: string): number | undefined {
    return (this.codes.get(codeOrRefresh) ?? this.refresh.get(codeOrRefresh))?.accountId;
  }

  exchangeCode(code: string): GrantResult {
    const grant = this.codes.get(code);
    if (!grant) return { ok: false };
    if (grant.spent || grant.expiresAt <= this.opts.now()) return { ok: false, accountId: grant.accountId };
    grant.spent = true;
    return { ok: true, pair: this.issuePair(grant), accountId: grant.accountId };
  }

  /** Rotates: the old refresh token is spent whatever happens next, as amoCRM's are. */
  refreshGrant(token: string): GrantResult {
    const grant = this.refresh.get(token);
    if (!grant) return { ok: false };
    if (grant.spent || grant.expiresAt <= this.opts.now()) return { ok: false, accountId: grant.accountId };
    grant.spent = true;
    this.refreshes.set(grant.accountId, (this.refreshes.get(grant.accountId) ?? 0) + 1);
    return { ok: true, pair: this.issuePair(grant), accountId: grant.accountId };
  }

  issuePair(owner: TokenOwner): TokenPair {
    const nowMs = this.opts.now();
    const iat = Math.floor(nowMs / 1000);
    const ttl = this.opts.accessTokenTtlSec;
    const baseDomain = this.opts.baseDomainOf(owner.accountId);
    const accessToken = jwt.sign(
      {
        aud: this.opts.clientId,
        jti: randomUUID(),
        iat,
        nbf: iat,
        exp: iat + ttl,
        sub: String(owner.userId),
        grant_type: '',
        account_id: owner.accountId,
        base_domain: baseDomain,
        version: 2,
        scopes: ['crm', 'notifications'],
        api_domain: `api-b.${baseDomain}`,
      },
      this.signingKey,
      { algorithm: 'HS256', noTimestamp: true },
    );
    const refreshToken = opaque();
    this.access.set(accessToken, { ...owner, expiresAt: nowMs + ttl * 1000, spent: false });
    this.refresh.set(refreshToken, { ...owner, expiresAt: nowMs + REFRESH_TTL_MS, spent: false });
    return {
      token_type: 'Bearer',
      expires_in: ttl,
      access_token: accessToken,
      refresh_token: refreshToken,
      server_time: iat,
    };
  }

  authenticate(accessToken: string): Authentication {
    const grant = this.access.get(accessToken);
    if (!grant) return { ok: false };
    if (grant.spent || grant.expiresAt <= this.opts.now()) return { ok: false, accountId: grant.accountId };
    return { ok: true, accountId: grant.accountId, userId: grant.userId };
  }

  expireAccess(accountId: number): void {
    for (const g of this.access.values()) if (g.accountId === accountId) g.spent = true;
  }

  revokeAll(accountId: number): void {
    this.expireAccess(accountId);
    for (const g of this.refresh.values()) if (g.accountId === accountId) g.spent = true;
    for (const g of this.codes.values()) if (g.accountId === accountId) g.spent = true;
  }

  refreshCount(accountId?: number): number {
    if (accountId !== undefined) return this.refreshes.get(accountId) ?? 0;
    let total = 0;
    for (const n of this.refreshes.values()) total += n;
    return total;
  }
}
