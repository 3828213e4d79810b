import type { Account } from '../accounts/account.ts';
import { crmRefusal } from '../accounts/account-standing.ts';
import type { AmocrmClient } from '../amocrm/client.ts';
import { accountBaseUrl } from '../amocrm/base-url.ts';
import { bindEndpoints, type AccountAmocrm } from '../amocrm/endpoints/index.ts';
import { readTokens } from '../amocrm/token-store.ts';
import type { Config } from '../config/config.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Store } from '../db/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { ProviderConfigStore } from '../providers/provider-configs.ts';
import type { Check, CheckContext } from './check.ts';
import { checkInstallerRights } from './check-installer-rights.ts';
import { checkLeadFields } from './check-lead-fields.ts';
import { checkProviders } from './check-providers.ts';
import { checkRateBudget } from './check-rate-budget.ts';
import { checkReachFacts } from './check-reach-facts.ts';
import { checkStageMapping } from './check-stage-mapping.ts';
import { checkTokenClaims } from './check-token-claims.ts';
import { checkTokens } from './check-tokens.ts';

export type { Check } from './check.ts';

export interface DiagnosticsDeps {
  store: Store;
  clock: Clock;
  config: Config;
  secretBox: SecretBox;
  providers: ProviderConfigStore;
  amocrm: { client: Pick<AmocrmClient, 'requestWithToken'> };
}

/**
 * amoCRM for doctor: the stored access token as it is, through the rate budget and the retry table
 * but without a refresh, a block or any other change of state (a check reads, it never writes).
 * Not callable when the account may not be called now or its token has expired.
 */
async function readOnlyAmocrm(deps: DiagnosticsDeps, account: Account): Promise<AccountAmocrm | { unavailable: string }> {
  const now = deps.clock.now();
  const refusal = crmRefusal(account, now);
  if (refusal) return { unavailable: refusal.message };
  const stored = await deps.store.run((tx) => readTokens(tx, deps.secretBox, account.id));
  if (!stored) return { unavailable: 'no tokens are stored' };
  if (stored.expiresAt <= now) return { unavailable: 'the access token has expired; the server refreshes it before its next call' };
  const target = { budgetKey: account.id, baseUrl: accountBaseUrl(deps.config.amocrm, account), accessToken: stored.accessToken };
  return bindEndpoints({ request: (call) => deps.amocrm.client.requestWithToken(target, call) });
}

/**
 * Everything `npm run doctor -- --account <id>` and GET /api/v1/diagnostics check, in order,
 * changing nothing: the tokens, the lead fields, the stage mapping, the installing user's rights,
 * the rate budget, each enabled provider, the claims seen in the account's disposable tokens, and
 * what amoCRM's undocumented behaviour (invoices, pipeline hooks, Salesbot) looked like here.
 */
export async function runDiagnostics(deps: DiagnosticsDeps, account: Account): Promise<Check[]> {
  const c: CheckContext = {
    store: deps.store,
    clock: deps.clock,
    config: deps.config,
    account,
    providers: deps.providers,
    amocrm: await readOnlyAmocrm(deps, account),
  };
  const tokens = await checkTokens(c);
  const rights = await checkInstallerRights(c);
  return [
    tokens,
    await checkLeadFields(c),
    await checkStageMapping(c),
    rights.check,
    await checkRateBudget(c),
    ...(await checkProviders(c)),
    await checkTokenClaims(c, rights.isAdmin),
    ...(await checkReachFacts(c)),
  ];
}
