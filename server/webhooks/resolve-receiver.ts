import { accountExists } from '../accounts/account-store.ts';
import { isAppError } from '../errors/app-error.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import type { InboundRequest, ParsedInbound, PaymentProvider, ProviderContext } from '../providers/provider.ts';
import { refused, type InboundResult } from './inbound-result.ts';
import { rejectionReply } from './rejection-reply.ts';
import { strangerContext } from './stranger-context.ts';

export interface LogLine {
  message: string;
  meta: Record<string, unknown>;
}

export type Receiver =
  | {
      provider: PaymentProvider<any>;
      ctx: ProviderContext<any>;
      /**
       * Set when the account does not exist here or does not use this provider: the request is
       * verified and read with throwaway credentials (stranger-context.ts), nothing is stored, and
       * the answer is an unknown order's. `why` is logged once the request is admitted.
       */
      stranger?: LogLine;
    }
  | { refusal: InboundResult };

/**
 * "No such order here", in the provider's form: also the answer for an account that does not exist
 * or does not use this provider, so the webhooks cannot be used to find out which accounts are
 * installed. The log says which it was.
 */
export function unknownOrder(provider: PaymentProvider<any>, parsed?: ParsedInbound): InboundResult {
  return refused('unknown_order', rejectionReply(provider, 404, 'unknown_order', 'No such order here', parsed), parsed);
}

/** The adapter and the account's context for `/webhooks/:provider/:accountId`, or the refusal (404) to answer. */
export async function resolveReceiver(deps: VerifyDeps, providerName: string, accountId: number, req: InboundRequest): Promise<Receiver> {
  let provider: PaymentProvider<any>;
  try {
    provider = deps.providers.provider(providerName);
  } catch {
    return { refusal: refused('unknown_provider', rejectionReply(undefined, 404, 'unknown_provider', `No provider "${providerName}"`)) };
  }
  const stranger = (message: string, meta: Record<string, unknown>): Receiver => ({
    provider,
    ctx: strangerContext(provider, Number.isSafeInteger(accountId) ? accountId : 0, deps.clock, req),
    stranger: { message, meta },
  });
  if (!Number.isSafeInteger(accountId)) {
    return stranger('notification for an unknown account, answered as an unknown order', { provider: providerName });
  }
  try {
    // A provider config row exists only for an existing account (a foreign key): no second read for that.
    return { provider, ctx: (await deps.providers.context(accountId, providerName)).ctx };
  } catch (err) {
    if (!(await deps.store.run((tx) => accountExists(tx, accountId)))) {
      return stranger('notification for an unknown account, answered as an unknown order', { provider: providerName });
    }
    return stranger('notification for a provider this account has not configured, answered as an unknown order', {
      provider: providerName,
      accountId,
      code: isAppError(err) ? err.code : undefined,
    });
  }
}
