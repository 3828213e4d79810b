import type { Account } from '../accounts/account.ts';
import { describeCall, type AmocrmCall } from './call.ts';
import { AmocrmError } from './errors.ts';
import type { BudgetedSend, Stale } from './rate-limited.ts';
import type { AccessToken, TokenManager } from './token-refresher.ts';
import type { Answer } from './transport.ts';

export type AuthorizedSend = (account: Account, baseUrl: string, call: AmocrmCall) => Promise<Answer>;

/** How many times a call that kept losing its token while it queued takes a newer one before giving up. */
const MAX_STALE_RETAKES = 3;

/**
 * Sends with the account's access token. A 401 refreshes the token once and repeats the call; a
 * second 401 is the caller's (amoCRM's own PHP library does the same). Per account it remembers the
 * newest token version amoCRM answered 401 to, so a call that waited in the rate budget meanwhile
 * gives its slot up instead of sending a token known to be dead (100 queued calls would otherwise
 * send 100 doomed requests before the one refresh got a slot).
 */
export function withTokenRefresh(tokens: TokenManager, send: BudgetedSend): AuthorizedSend {
  const rejectedVersion = new Map<number, number>();
  const isRejected = (accountId: number, version: number) => (rejectedVersion.get(accountId) ?? 0) >= version;

  return async (account, baseUrl, call) => {
    let token: AccessToken = await tokens.accessToken(account);
    const sendWith = (t: AccessToken) =>
      send({ budgetKey: account.id, baseUrl, accessToken: t.token }, call, () => !isRejected(account.id, t.version));
    const sendFresh = async (): Promise<Answer | Stale> => {
      let out = await sendWith(token);
      // Someone else's 401 retired our token while we queued: take the refreshed one (bounded).
      for (let i = 0; i < MAX_STALE_RETAKES && 'stale' in out; i++) {
        token = await tokens.refreshAfterUnauthorized(account, token.version);
        out = await sendWith(token);
      }
      return out;
    };
    let sent = await sendFresh();
    if ('res' in sent && sent.res.status === 401) {
      rejectedVersion.set(account.id, Math.max(rejectedVersion.get(account.id) ?? 0, token.version));
      token = await tokens.refreshAfterUnauthorized(account, token.version);
      sent = await sendFresh();
    }
    if ('stale' in sent) {
      throw new AmocrmError('amocrm_needs_reconnect', `${describeCall(call)}: the access token kept being rejected while waiting to send`, {
        retryable: false,
      });
    }
    return sent;
  };
}
