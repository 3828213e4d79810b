import { accountExists } from '../accounts/account-store.ts';
import { isAppError } from '../errors/app-error.ts';
import type { VerifyDeps } from '../payments/verify-attempt.ts';
import type { PaymentProvider, ProviderContext } from '../providers/provider.ts';
import { refused, type InboundResult } from './inbound-result.ts';
import { rejectionReply } from './rejection-reply.ts';

export type Receiver = { provider: PaymentProvider<any>; ctx: ProviderContext<any> } | { refusal: InboundResult };

/** The adapter and the account's context for `/webhooks/:provider/:accountId`, or the refusal (404) to answer. */
export function resolveReceiver(deps: VerifyDeps, providerName: string, accountId: number): Receiver {
  let provider: PaymentProvider<any>;
  try {
    provider = deps.providers.provider(providerName);
  } catch {
    return { refusal: refused('unknown_provider', rejectionReply(undefined, 404, 'unknown_provider', `No provider "${providerName}"`)) };
  }
  if (!Number.isSafeInteger(accountId) || !accountExists(deps.db, accountId)) {
    const reason = `No account ${String(accountId)} here`;
    return { refusal: refused('unknown_account', rejectionReply(provider, 404, 'unknown_account', reason)) };
  }
  try {
    return { provider, ctx: deps.providers.context(accountId, providerName).ctx };
  } catch (err) {
    const message = isAppError(err) ? err.message : 'provider not configured';
    return { refusal: refused('provider_not_configured', rejectionReply(provider, 404, 'provider_not_configured', message)) };
  }
}
