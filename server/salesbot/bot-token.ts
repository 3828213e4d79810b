import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthError } from '../errors/app-error.ts';

/**
 * The token of a Salesbot `widget_request` (https://www.amocrm.ru/developers/content/digital_pipeline/salesbot):
 * "signed with the client's secret key", claims account_id, subdomain, entity_type, entity_id and
 * iat/nbf/exp. amoCRM's official PHP library verifies it with HS512 (`parseBotDisposableToken`);
 * the docs name no algorithm, so HS512 and HS256 are both accepted, and which one came is noted for
 * doctor. Any other algorithm, a wrong signature or an expired token is a 401 with its own code.
 */
export const BOT_TOKEN_ALGORITHMS = ['HS512', 'HS256'] as const;
const LEEWAY_SEC = 60;
/** A bot token lives minutes; a leaked secret must not mint one valid for days. */
const MAX_LIFETIME_SEC = 3600;

export interface BotToken {
  accountId: number;
  /** The entity the bot runs for: a lead (amoCRM type 2, or `leads`), else something dramlink has no link for. */
  entity: { kind: 'lead'; id: number } | { kind: 'other'; type: string; id: number | null };
  alg: string;
  /** Claim names seen (never values), for doctor. */
  claimNames: string[];
}

export function verifyBotToken(token: unknown, clientSecret: string, nowSec: number): BotToken {
  if (typeof token !== 'string' || token.split('.').length !== 3)
    throw new AuthError('bot_token_malformed', 'The widget_request carries no token.');
  const decoded = jwt.decode(token, { complete: true });
  const alg = decoded?.header.alg ?? '';
  if (!(BOT_TOKEN_ALGORITHMS as readonly string[]).includes(alg))
    throw new AuthError('bot_token_bad_algorithm', `The bot token is signed with ${alg || 'nothing'}.`);
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, createSecretKey(Buffer.from(clientSecret, 'utf8')), {
      algorithms: [...BOT_TOKEN_ALGORITHMS],
      clockTimestamp: nowSec,
      clockTolerance: LEEWAY_SEC,
    }) as jwt.JwtPayload;
  } catch (err) {
    const expired = err instanceof jwt.TokenExpiredError || err instanceof jwt.NotBeforeError;
    throw new AuthError(
      expired ? 'bot_token_expired' : 'bot_token_bad_signature',
      expired ? 'The bot token has expired.' : 'The bot token is not signed with this integration’s secret.',
    );
  }
  const accountId = Number(claims.account_id);
  if (!Number.isSafeInteger(accountId) || accountId <= 0) throw new AuthError('bot_token_missing_claim', 'The bot token names no account.');
  if (
    typeof claims.exp !== 'number' ||
    (typeof claims.iat === 'number' && claims.exp - claims.iat > MAX_LIFETIME_SEC) ||
    claims.exp - nowSec > MAX_LIFETIME_SEC
  ) {
    throw new AuthError('bot_token_lifetime_too_long', 'The bot token lives longer than amoCRM issues them.');
  }
  return { accountId, entity: entityOf(claims), alg, claimNames: Object.keys(claims).sort() };
}

/** The library maps entity_type 2 to leads and 12 to customers; a name may come instead of the number. */
function entityOf(claims: jwt.JwtPayload): BotToken['entity'] {
  const type = String(claims.entity_type ?? '');
  const id = Number(claims.entity_id);
  const valid = Number.isSafeInteger(id) && id > 0;
  if (valid && (type === '2' || type === 'leads' || type === 'lead')) return { kind: 'lead', id };
  return { kind: 'other', type, id: valid ? id : null };
}
