import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import { readFormParams } from '../providers/common/form-params.ts';
import type { InboundRequest, PaymentProvider, ProviderContext, ProviderName } from '../providers/provider.ts';

/**
 * Credentials nobody knows, in each provider's shape: fresh for every request. Identifiers that
 * are not secret (Idram's IdramID travels in every payment form) are taken from the request, as
 * if they were right, so only what a forger cannot know (the keys) decides, as for a real account.
 */
const THROWAWAY: Record<ProviderName, (secret: string, req: InboundRequest) => Record<string, unknown>> = {
  ameriabank: (secret) => ({ clientId: 'none', username: 'none', password: secret }),
  arca: (secret) => ({ userName: 'none', password: secret }),
  idram: (secret, req) => ({ recAccount: readFormParams(req).EDP_REC_ACCOUNT?.trim() || 'none', secretKey: secret }),
  telcell: (secret) => ({ shopId: 'none', shopKey: secret }),
  sandbox: (secret) => ({ webhookSecret: `whsec_${secret}` }),
};

const NO_CALLS: HttpClient = { request: () => Promise.reject(new Error('a stranger context never calls a provider')) };

/**
 * The context a notification is verified with when its account does not exist here, or does not
 * use this provider: credentials nobody knows. It goes through the same verification and parsing
 * as a real account's, so the answer is the one a real account gives a request that is forged or
 * names an order it does not have; nobody can tell from the webhooks which accounts are installed.
 */
export function strangerContext(
  provider: PaymentProvider<any>,
  accountId: number,
  clock: Clock,
  req: InboundRequest,
): ProviderContext<any> {
  return {
    accountId,
    mode: 'live',
    credentials: THROWAWAY[provider.name](randomBytes(24).toString('base64'), req),
    http: NO_CALLS,
    clock,
    publicUrl: '',
  };
}
