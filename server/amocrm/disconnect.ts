import { markDisconnected } from '../accounts/state-changes.ts';
import { hmacSha256, safeEqual } from '../crypto/hmac.ts';
import type { Store } from '../db/store.ts';
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

/**
 * The revoke hook's signature, as amoCRM computes it when an integration is disabled: lowercase hex
 * HMAC-SHA256 with the client secret as key, over `client_uuid + "|" + account_id`.
 */
export function disconnectSignature(clientSecret: string, clientUuid: string, accountId: string): string {
  return hmacSha256(clientSecret, `${clientUuid}|${accountId}`, 'hex');
}

/**
 * docs/architecture.md, Flows 7 Disconnect: amoCRM says the integration was disabled. After the
 * signature checks out: the tokens are deleted, the account is `disconnected` (the sync worker skips
 * it; its jobs wait), payments and settings are kept. A wrong signature changes nothing.
 */
export async function disconnectAccount(
  deps: { store: Store; clock: Clock; logger: Logger; amocrm: { clientId?: string; clientSecret?: string } },
  input: DisconnectInput,
): Promise<{ accountId: number; disconnected: boolean }> {
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
  const disconnected = await deps.store.transaction(function* (tx) {
    yield* deleteTokens(tx, accountId);
    return yield* markDisconnected(tx, accountId, now);
  });
  deps.logger.info('amocrm disconnect: tokens deleted, sync paused, payments kept', { accountId, changed: disconnected });
  return { accountId, disconnected };
}
