import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthError } from '../../errors/app-error.ts';

/**
 * amoCRM disposable tokens (the X-Auth-Token the widget gets from $authorizedAjax,
 * https://www.amocrm.com/developers/content/oauth/one-time-tokens-for-integrations/): HS256 with the integration secret,
 * `aud` = origin of the redirect URI, about 30 minutes of life. Every way a token
 * can be wrong has its own 401 code, so the widget (and support) can tell them apart.
 */
export const TOKEN_ERROR_CODES = [
  'missing_token',
  'token_malformed',
  'token_bad_algorithm',
  'token_bad_signature',
  'token_missing_claim',
  'token_expired',
  'token_not_yet_valid',
  'token_wrong_audience',
  'token_wrong_client',
  'token_foreign_issuer',
  'token_issuer_mismatch',
  'token_replayed',
  'token_lifetime_too_long',
] as const;
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

/** The most a token's clock may disagree with ours. */
export const CLOCK_TOLERANCE_SEC = 30;

/**
 * The longest life we accept (amoCRM issues about 30 minutes): `exp - iat` at most this, and `exp`
 * at most this far ahead of our clock. A leaked secret then cannot mint a token that stays valid for years.
 */
export const MAX_TOKEN_LIFETIME_SEC = 3600;

export const AMOCRM_ISSUER_DOMAINS = ['amocrm.ru', 'amocrm.com', 'kommo.com'] as const;
export type IssuerDomain = (typeof AMOCRM_ISSUER_DOMAINS)[number];

export interface TokenVerifierConfig {
  clientId: string;
  clientSecret: string;
  /** AMOCRM_REDIRECT_URI; its origin is the expected `aud`. */
  redirectUri: string;
}

export interface VerifiedToken {
  jti: string;
  accountId: number;
  userId: number;
  isAdmin: boolean;
  subdomain: string;
  /** The issuer's domain (amocrm.ru, amocrm.com or kommo.com). */
  domain: IssuerDomain;
  iat: number;
  nbf: number;
  /** Seconds since the epoch. */
  exp: number;
}

export class TokenError extends AuthError {
  declare readonly code: TokenErrorCode;
  constructor(code: TokenErrorCode, message: string) {
    super(code, message, 401);
    this.name = 'TokenError';
  }
}

const ISSUER = /^https:\/\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.(amocrm\.ru|amocrm\.com|kommo\.com)\/?$/;
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An integer claim; amoCRM's own library casts these with (int), so a digit string is accepted too. */
function intClaim(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^[1-9]\d{0,15}$/.test(value)) return Number(value);
  return undefined;
}

function missing(claim: string, expects: string): TokenError {
  return new TokenError(
    'token_missing_claim',
    `The X-Auth-Token has no valid "${claim}" claim (expects ${expects}); request a new token through $authorizedAjax.`,
  );
}

export interface TokenVerifier {
  verify(token: string | undefined, nowMs: number): VerifiedToken;
}

type Claims = Record<string, unknown>;

function requireToken(token: string | undefined): string {
  if (token === undefined || token.trim() === '') {
    throw new TokenError(
      'missing_token',
      'Send the amoCRM disposable token in the X-Auth-Token header (the widget gets one with $authorizedAjax).',
    );
  }
  return token.trim();
}

/** Three parts with a JSON header naming HS256, before the signature is even looked at. */
function checkHeader(raw: string): void {
  let header: { alg?: unknown } | undefined;
  try {
    const decoded = jwt.decode(raw, { complete: true });
    header = decoded && typeof decoded.payload === 'object' ? (decoded.header as { alg?: unknown }) : undefined;
  } catch {
    header = undefined;
  }
  if (!header || raw.split('.').length !== 3) {
    throw new TokenError(
      'token_malformed',
      'The X-Auth-Token is not a JSON Web Token (three base64url parts with a JSON header and claims).',
    );
  }
  if (header.alg !== 'HS256') {
    throw new TokenError(
      'token_bad_algorithm',
      `The X-Auth-Token is signed with ${JSON.stringify(header.alg ?? null)}; only HS256 tokens from amoCRM are accepted.`,
    );
  }
}

function verifySignature(raw: string, key: KeyObject, audience: string, nowMs: number): Claims {
  let payload: Claims;
  try {
    payload = jwt.verify(raw, key, {
      algorithms: ['HS256'],
      audience: [audience, `${audience}/`],
      clockTolerance: CLOCK_TOLERANCE_SEC,
      clockTimestamp: Math.floor(nowMs / 1000),
    }) as Claims;
  } catch (err) {
    throw translate(err, audience);
  }
  if (typeof payload !== 'object' || payload === null)
    throw new TokenError('token_malformed', 'The X-Auth-Token claims are not a JSON object.');
  return payload;
}

/** exp, nbf and iat are required (jsonwebtoken only checks them when present), and iat is not in the future. */
function timeClaims(payload: Claims, nowMs: number): { exp: number; nbf: number; iat: number } {
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    if (typeof payload[claim] !== 'number' || !Number.isFinite(payload[claim])) throw missing(claim, 'a number of seconds since the epoch');
  }
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  const nowSec = Math.floor(nowMs / 1000);
  if (iat > nowSec + CLOCK_TOLERANCE_SEC) {
    throw new TokenError('token_not_yet_valid', 'The X-Auth-Token was issued in the future; check the server clock.');
  }
  if (exp - iat > MAX_TOKEN_LIFETIME_SEC || exp > nowSec + MAX_TOKEN_LIFETIME_SEC + CLOCK_TOLERANCE_SEC) {
    throw new TokenError(
      'token_lifetime_too_long',
      `The X-Auth-Token is valid for longer than ${MAX_TOKEN_LIFETIME_SEC / 60} minutes; amoCRM's tokens live about 30: request a new one through $authorizedAjax.`,
    );
  }
  return { exp, nbf: payload.nbf as number, iat };
}

function callerClaims(payload: Claims, clientId: string): { jti: string; accountId: number; userId: number; isAdmin: boolean } {
  if (typeof payload.jti !== 'string' || payload.jti.trim() === '' || payload.jti.length > 200) throw missing('jti', 'the token id');
  if (payload.client_uuid !== clientId) {
    throw new TokenError(
      'token_wrong_client',
      'The X-Auth-Token was issued for another integration (client_uuid differs from AMOCRM_CLIENT_ID).',
    );
  }
  const accountId = intClaim(payload.account_id);
  if (accountId === undefined) throw missing('account_id', 'the amoCRM account id');
  const userId = intClaim(payload.user_id);
  if (userId === undefined) throw missing('user_id', 'the amoCRM user id');
  if (payload.is_admin !== undefined && typeof payload.is_admin !== 'boolean') throw missing('is_admin', 'true or false');
  return { jti: payload.jti, accountId, userId, isAdmin: payload.is_admin === true };
}

/** The issuer must be an amoCRM or Kommo account, the same one the `subdomain` claim names. */
function issuerClaims(payload: Claims): { subdomain: string; domain: IssuerDomain } {
  const iss = typeof payload.iss === 'string' ? ISSUER.exec(payload.iss.toLowerCase()) : null;
  if (!iss) {
    throw new TokenError(
      'token_foreign_issuer',
      `The X-Auth-Token issuer ${JSON.stringify(payload.iss ?? null)} is not an amoCRM or Kommo account (https://<subdomain>.amocrm.ru, .amocrm.com or .kommo.com).`,
    );
  }
  const subdomain = typeof payload.subdomain === 'string' ? payload.subdomain.toLowerCase() : undefined;
  if (subdomain === undefined || !SUBDOMAIN.test(subdomain)) throw missing('subdomain', 'the account subdomain');
  if (iss[1] !== subdomain) {
    throw new TokenError(
      'token_issuer_mismatch',
      `The X-Auth-Token issuer ${payload.iss as string} does not belong to the subdomain "${subdomain}" it names.`,
    );
  }
  return { subdomain, domain: iss[2] as IssuerDomain };
}

/**
 * Verifies a disposable token against the integration's secret, audience and client id, with the
 * injected clock (`nowMs`). Throws TokenError with a specific code; never trusts an unverified claim.
 */
export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  const key: KeyObject = createSecretKey(Buffer.from(config.clientSecret, 'utf8'));
  const audience = new URL(config.redirectUri).origin;
  return {
    verify(token, nowMs) {
      const raw = requireToken(token);
      checkHeader(raw);
      const payload = verifySignature(raw, key, audience, nowMs);
      const times = timeClaims(payload, nowMs);
      const caller = callerClaims(payload, config.clientId);
      return { ...caller, ...issuerClaims(payload), ...times };
    },
  };
}

function translate(err: unknown, audience: string): TokenError {
  if (err instanceof jwt.TokenExpiredError) {
    return new TokenError(
      'token_expired',
      `The X-Auth-Token expired at ${err.expiredAt.toISOString()}; request a new one (they live about 30 minutes).`,
    );
  }
  if (err instanceof jwt.NotBeforeError) {
    return new TokenError('token_not_yet_valid', `The X-Auth-Token is not valid before ${err.date.toISOString()}; check the server clock.`);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/audience invalid/.test(message)) {
    return new TokenError(
      'token_wrong_audience',
      `The X-Auth-Token was issued for another server: its "aud" must be ${audience}, the origin of AMOCRM_REDIRECT_URI.`,
    );
  }
  if (/invalid signature/.test(message)) {
    return new TokenError(
      'token_bad_signature',
      'The X-Auth-Token signature does not match AMOCRM_CLIENT_SECRET: it was not issued by amoCRM for this integration.',
    );
  }
  if (/algorithm/.test(message) || /signature is required/.test(message)) {
    return new TokenError('token_bad_algorithm', 'Only HS256 tokens from amoCRM are accepted.');
  }
  if (/invalid (nbf|exp) value/.test(message)) {
    const claim = /nbf/.test(message) ? 'nbf' : 'exp';
    return missing(claim, 'a number of seconds since the epoch');
  }
  return new TokenError('token_malformed', `The X-Auth-Token cannot be read: ${message}.`);
}
