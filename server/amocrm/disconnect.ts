import { eq } from 'drizzle-orm';
import { hmacSha256, safeEqual } from '../crypto/hmac.ts';
import type { Db } from '../db/database.ts';
import { accounts } from '../db/schema.ts';
import { AppError, AuthError, ValidationError } from '../errors/app-error.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import { deleteTokens } from './token-store.ts';

export interface DisconnectInput {
  accountId?: string;
  /** `client_uuid`, or its older name `client_id`. */
  clientUuid?: string;
  signature?: string;
}

/** The revoke hook's signature: lowercase hex HMAC-SHA256(client_secret, client_uuid + "|" + account_id) (amocrm.md, Confirmations 1). */
export function disconnectSignature(clientSecret: string, clientUuid: string, accountId: string): string {
  return hmacSha256(clientSecret, `${clientUuid}|${accountId}`, 'hex');
}

/**
 * Flow 7: amoCRM says the integration was disabled. After the signature checks out: the tokens
 * are deleted, the account is `disconnected` (the sync worker skips it; its jobs wait), payments and
 * settings are kept. A wrong signature changes nothing.
 */
export function disconnectAccount(
  deps: { db: Db; clock: Clock; logger: Logger; amocrm: { clientId?: string; clientSecret?: string } },
  input: DisconnectInput,
): { accountId: number; disconnected: boolean } {
  const { clientId, clientSecret } = deps.amocrm;
  if (!clientId || !clientSecret)
    throw new AppError('amocrm_not_configured', 503, 'AMOCRM_CLIENT_ID and AMOCRM_CLIENT_SECRET are not set on this server.');
  const accountText = input.accountId ?? '';
  if (!/^\d{1,15}$/.test(accountText)) throw new ValidationError('invalid_account_id', 'account_id must be the numeric amoCRM account id.');
  const signature = (input.signature ?? '').toLowerCase();
  const clientOk = safeEqual(input.clientUuid ?? '', clientId);
  const signatureOk = safeEqual(signature, disconnectSignature(clientSecret, clientId, accountText));
  if (!clientOk || !signatureOk) {
    deps.logger.warn('amocrm disconnect: refused a hook with a wrong client or signature', { accountId: accountText, clientOk });
    throw new AuthError(
      'invalid_signature',
      'The disconnect hook is not signed by this integration (client_uuid or signature does not match).',
    );
  }
  const accountId = Number(accountText);
  const now = deps.clock.now();
  const disconnected = deps.db.transaction(
    (tx) => {
      const row = tx.select({ state: accounts.state }).from(accounts).where(eq(accounts.id, accountId)).get();
      deleteTokens(tx, accountId);
      if (!row) return false;
      tx.update(accounts)
        .set({
          state: 'disconnected',
          stateReason: `integration disabled in amoCRM at ${new Date(now).toISOString()}`,
          blockedUntil: null,
          updatedAt: now,
        })
        .where(eq(accounts.id, accountId))
        .run();
      return row.state !== 'disconnected';
    },
    { behavior: 'immediate' },
  );
  deps.logger.info('amocrm disconnect: tokens deleted, sync paused, payments kept', { accountId, changed: disconnected });
  return { accountId, disconnected };
}
