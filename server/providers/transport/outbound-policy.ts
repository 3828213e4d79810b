import type { AllowedHost } from '../../config/allowed-hosts.ts';
import { AMERIABANK_OFFICIAL_HOSTS } from '../ameriabank/endpoints.ts';
import { ARCA_OFFICIAL_HOSTS } from '../arca/endpoints.ts';
import { IDRAM_OFFICIAL_HOSTS } from '../idram/endpoints.ts';
import type { ProviderName } from '../provider.ts';
import { SANDBOX_OFFICIAL_HOSTS } from '../sandbox/endpoints.ts';
import { TELCELL_OFFICIAL_HOSTS } from '../telcell/endpoints.ts';
import type { OutboundPolicy } from './outbound-targets.ts';

/**
 * Where the server may send a provider call (and a tenant may point a provider's `baseUrl`):
 * - a provider's official hosts (each provider's endpoints.ts), over https, any port, and only
 *   while the name resolves to a public address (checked at connect time, so DNS cannot smuggle in
 *   a private one);
 * - a host the operator lists in PROVIDER_ALLOWED_HOSTS: http or https, any address (tests,
 *   staging, a bank's private test host), the operator's explicit choice;
 * - for the sandbox provider, this server's own PUBLIC_URL host, where its gateway lives.
 * A URL with a user name or password, or a fragment, is never called; a `baseUrl` may not carry a
 * query either (our paths are appended to it).
 */
export type { OutboundPolicy };

export const OFFICIAL_HOSTS: Readonly<Record<ProviderName, readonly string[]>> = {
  ameriabank: AMERIABANK_OFFICIAL_HOSTS,
  arca: ARCA_OFFICIAL_HOSTS,
  idram: IDRAM_OFFICIAL_HOSTS,
  telcell: TELCELL_OFFICIAL_HOSTS,
  sandbox: SANDBOX_OFFICIAL_HOSTS,
};

export function createOutboundPolicy(input: { allowedHosts: readonly AllowedHost[]; publicUrl: string }): OutboundPolicy {
  return { operatorHosts: input.allowedHosts, ownHost: hostOfUrl(input.publicUrl) };
}

export type UrlVerdict =
  { allowed: true; /** Operator-listed or our own: any address may be reached. */ trusted: boolean } | { allowed: false; reason: string };

/** The verdict on a URL a provider call would go to (`baseUrl: true` for a tenant's setting, which may not carry a query). */
export function judgeProviderUrl(policy: OutboundPolicy, provider: ProviderName, raw: string, opts: { baseUrl: boolean }): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { allowed: false, reason: 'must be an https:// URL' };
  if (url.username || url.password || /^[a-z]+:\/\/[^/?#]*@/i.test(raw)) {
    return { allowed: false, reason: 'may not carry a user name or password (credentials have their own fields)' };
  }
  if (raw.includes('#')) return { allowed: false, reason: 'may not have a fragment (#…)' };
  if (opts.baseUrl && raw.includes('?'))
    return { allowed: false, reason: 'may not have a query string (?…): our paths are appended to it' };
  const target = hostOfUrl(raw)!;
  if (policy.operatorHosts.some((h) => matches(h, target))) return { allowed: true, trusted: true };
  if (provider === 'sandbox' && policy.ownHost && matches(policy.ownHost, target)) return { allowed: true, trusted: true };
  const official = OFFICIAL_HOSTS[provider];
  if (official.includes(target.host)) {
    if (url.protocol !== 'https:') return { allowed: false, reason: 'must be an https:// URL' };
    return { allowed: true, trusted: false };
  }
  const known = official.length ? `${provider}'s hosts are ${official.join(', ')}` : `${provider} is reached only at PUBLIC_URL`;
  return {
    allowed: false,
    reason: `names a host that is not one of the provider's (${known}); the server operator may add another in PROVIDER_ALLOWED_HOSTS`,
  };
}

function hostOfUrl(raw: string): AllowedHost | undefined {
  try {
    const url = new URL(raw);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { host: url.hostname.toLowerCase().replace(/^\[|\]$/g, ''), port };
  } catch {
    return undefined;
  }
}

function matches(entry: AllowedHost, target: AllowedHost): boolean {
  return entry.host === target.host && (entry.port === undefined || entry.port === target.port);
}
