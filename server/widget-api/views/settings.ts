import type { ProviderUrlsView, Settings } from '../../../shared/api.ts';
import type { ProviderName } from '../../providers/provider.ts';
import { providerUrlsOf } from '../../providers/provider-urls.ts';
import type { ProviderConfig } from '../../providers/provider-configs.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import type { AccountSettings } from '../../accounts/account-settings.ts';

/** What a masked secret starts with; a value sent back starting with it means "keep the stored one". */
export const MASK = '••••';

/**
 * At most the last 4 characters of a secret, and only of a long one (12+), so a short secret is
 * never half shown: `••••abcd` or `••••`.
 */
export function maskSecret(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  return text.length >= 12 ? `${MASK}${text.slice(-4)}` : MASK;
}

export function isMasked(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(MASK);
}

export function secretFieldsOf(registry: ProviderRegistry, provider: string): readonly string[] {
  return registry.get(provider as never)?.secretFields ?? [];
}

/**
 * The widget API's Settings (shared/api.ts) with every secret masked (GET /api/v1/settings and the
 * PUT answer), and the read-only `providerUrls`: what the admin must give each provider.
 */
export function settingsView(
  registry: ProviderRegistry,
  account: AccountSettings,
  configs: readonly ProviderConfig[],
  where: { publicUrl: string; accountId: number },
): Settings & { providerUrls: ProviderUrlsView } {
  const providers: Record<string, Record<string, unknown>> = {};
  for (const c of configs) {
    const secret = new Set(secretFieldsOf(registry, c.provider));
    const credentials = Object.fromEntries(Object.entries(c.credentials).map(([k, v]) => [k, secret.has(k) ? maskSecret(v) : v]));
    providers[c.provider] = { enabled: c.enabled, mode: c.mode, ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}), ...credentials };
  }
  return {
    providers: providers as Settings['providers'],
    defaultCurrency: account.defaultCurrency,
    linkTtlHours: account.linkTtlHours,
    ...(account.stageMapping ? { stageMapping: account.stageMapping } : {}),
    ...(account.taskResponsibleUserId !== undefined ? { taskResponsibleUserId: account.taskResponsibleUserId } : {}),
    ...(account.merchantName !== undefined ? { merchantName: account.merchantName } : {}),
    providerUrls: providerUrlsOf(where.publicUrl, where.accountId, [...registry.keys()] as ProviderName[]),
    ...(account.language !== undefined ? { language: account.language } : {}),
    ...(account.salesbotId !== undefined ? { salesbotId: account.salesbotId } : {}),
  };
}
