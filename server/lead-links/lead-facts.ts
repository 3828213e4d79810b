import { isValidAmountMinor, majorToMinor, type Currency } from '../../shared/money.ts';
import type { Lead } from '../amocrm/endpoints/index.ts';
import type { ProviderName } from '../providers/provider.ts';
import type { ProviderConfigStore } from '../providers/provider-configs.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { LeadFacts, Offer } from './decide-link.ts';

/** A lead as amoCRM listed it (undefined: not listed, i.e. deleted or not this account's), its price in minor units. */
export function leadFactsOf(lead: Lead | undefined, currency: Currency): LeadFacts {
  if (!lead || lead.is_deleted) return { kind: 'missing' };
  const raw = lead.price ?? 0;
  const minor = majorToMinor(raw, currency);
  if (minor === undefined || (minor !== 0 && !isValidAmountMinor(minor))) return { kind: 'found', priceMinor: 'invalid' };
  return { kind: 'found', priceMinor: minor };
}

/**
 * The providers a link of this currency may offer: the enabled ones that take it, narrowed to the
 * trigger's choice when it made one (a provider no longer enabled simply drops out).
 */
export async function offerFor(
  deps: { providers: Pick<ProviderConfigStore, 'enabledNames'>; registry: ProviderRegistry },
  accountId: number,
  currency: Currency,
  chosen?: readonly ProviderName[],
): Promise<{ offer: Offer; names: ProviderName[] }> {
  const enabled = await deps.providers.enabledNames(accountId);
  if (enabled.length === 0) return { offer: { ok: false, reason: 'no_provider_enabled' }, names: [] };
  const names = enabled.filter((p) => (deps.registry.get(p)?.caps.currencies ?? []).includes(currency) && (!chosen || chosen.includes(p)));
  return names.length ? { offer: { ok: true }, names } : { offer: { ok: false, reason: 'no_provider_for_currency' }, names };
}
