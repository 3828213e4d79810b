import type { Currency } from '../../shared/money.ts';
import type { AccountContext, AccountContexts } from '../accounts/account-context.ts';
import { standingOf } from '../accounts/account-standing.ts';
import type { Lead } from '../amocrm/endpoints/index.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import { createBackgroundLoop, type BackgroundLoop, type Timer } from '../platform/background-loop.ts';
import type { Clock } from '../platform/clock.ts';
import type { ProviderConfigStore } from '../providers/provider-configs.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { chunk } from '../sync/batch-split.ts';
import { leadFactsOf, offerFor } from './lead-facts.ts';
import { parseLinkParams } from './link-params.ts';
import { claimLinkRequests, retryLinkRequest, type LinkRequestRow } from './link-request-store.ts';
import { failLinkRequestNow, settleLinkRequest } from './settle-link-request.ts';

/** Back-off while amoCRM cannot be asked: a bot waits for its answer, so the first retries are quick. */
export const LINK_RETRY_MS: readonly number[] = [5_000, 15_000, 60_000, 300_000];

export interface LinkPassResult {
  settled: number;
  retried: number;
  failed: number;
}

/** The background loop working off automation's link requests; `kick()` starts a pass now (a hook just arrived). */
export interface LinkRunner extends BackgroundLoop<LinkPassResult> {
  kick(): void;
}

export interface LinkRunnerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  accounts: AccountContexts;
  providers: Pick<ProviderConfigStore, 'enabledNames'>;
  registry: ProviderRegistry;
  publicUrl: string;
  options?: { intervalMs?: number; claimMs?: number; timer?: Timer };
}

/**
 * docs/architecture.md, Links made by automation: claims due requests, and per account reads their
 * leads from amoCRM in one request per 250 (within the account's rate budget, like every call),
 * then settles each in its own transaction. When amoCRM cannot be asked the requests wait and are
 * tried again (LINK_RETRY_MS), then fail as `amocrm_unavailable`; a disconnected account's fail at once.
 */
export function createLinkRunner(deps: LinkRunnerDeps): LinkRunner {
  const claimMs = deps.options?.claimMs ?? 60_000;
  const pass = async (): Promise<LinkPassResult> => {
    const result: LinkPassResult = { settled: 0, retried: 0, failed: 0 };
    const rows = await claimLinkRequests(deps.store, { now: deps.clock.now(), limit: 250, claimMs });
    const byAccount = new Map<number, LinkRequestRow[]>();
    for (const r of rows) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
    for (const [accountId, requests] of byAccount) {
      try {
        await runAccount(deps, accountId, requests, result);
      } catch (err) {
        deps.logger.error('link requests: an account pass failed', { accountId, error: err });
      }
    }
    return result;
  };
  const loop = createBackgroundLoop({
    name: 'link-requests',
    pass,
    intervalMs: deps.options?.intervalMs ?? 2_000,
    logger: deps.logger,
    timer: deps.options?.timer,
  });
  return {
    ...loop,
    kick: () => void loop.runOnce().catch((err: unknown) => deps.logger.error('link-requests: pass failed', { error: err })),
  };
}

async function runAccount(deps: LinkRunnerDeps, accountId: number, requests: LinkRequestRow[], result: LinkPassResult): Promise<void> {
  const now = deps.clock.now();
  const settleDeps = { store: deps.store, now, publicUrl: deps.publicUrl };
  const ctx = await deps.accounts.load(accountId);
  const standing = ctx ? standingOf(ctx.account, now) : { kind: 'disconnected' as const };
  if (!ctx || standing.kind === 'disconnected' || standing.kind === 'needs_reconnect') {
    for (const r of requests) await failLinkRequestNow(settleDeps, r, 'amocrm_unavailable');
    result.failed += requests.length;
    return;
  }
  let leads: Map<number, Lead>;
  try {
    if (standing.kind === 'blocked') throw new Error(`amoCRM blocked the account until ${new Date(standing.until).toISOString()}`);
    leads = await readLeads(ctx, [...new Set(requests.map((r) => r.leadId))]);
  } catch (err) {
    await backOff(deps, requests, result, err);
    return;
  }
  for (const r of requests) {
    const settled = await settleLinkRequest({ ...settleDeps, now: deps.clock.now() }, r, await factsFor(deps, ctx, r, leads));
    if (settled.outcome === 'failed') result.failed++;
    else if (settled.outcome !== 'gone') result.settled++;
  }
}

async function readLeads(ctx: AccountContext, ids: number[]): Promise<Map<number, Lead>> {
  const out = new Map<number, Lead>();
  for (const part of chunk(ids, 250)) for (const lead of await ctx.amocrm.leads.list(part)) out.set(lead.id, lead);
  return out;
}

async function factsFor(deps: LinkRunnerDeps, ctx: AccountContext, r: LinkRequestRow, leads: Map<number, Lead>) {
  const params = parseLinkParams(r.params);
  const currency = (params?.currency ?? ctx.settings.defaultCurrency) as Currency;
  const { offer, names } = await offerFor(deps, ctx.accountId, currency, params?.providers);
  return { lead: leadFactsOf(leads.get(r.leadId), currency), currency, offer, providers: names, linkTtlHours: ctx.settings.linkTtlHours };
}

async function backOff(deps: LinkRunnerDeps, requests: LinkRequestRow[], result: LinkPassResult, err: unknown): Promise<void> {
  const now = deps.clock.now();
  const error = err instanceof Error ? err.message : String(err);
  deps.logger.warn('link requests: amoCRM could not be asked; waiting', {
    accountId: requests[0].accountId,
    requests: requests.length,
    error,
  });
  for (const r of requests) {
    if (r.attempts >= LINK_RETRY_MS.length) {
      await failLinkRequestNow({ store: deps.store, now, publicUrl: deps.publicUrl }, r, 'amocrm_unavailable');
      result.failed++;
    } else {
      await deps.store.run((tx) => retryLinkRequest(tx, r.id, { now, delayMs: LINK_RETRY_MS[r.attempts], reason: 'amocrm_unavailable' }));
      result.retried++;
    }
  }
}
