import type { AllowedHost } from '../../config/allowed-hosts.ts';

/**
 * The operator's side of the outbound policy (outbound-policy.ts judges a URL with it): the hosts
 * listed in PROVIDER_ALLOWED_HOSTS, and this server's own PUBLIC_URL host, where the sandbox
 * gateway lives. Kept apart so the provider interface can name it without importing every
 * provider's endpoints.
 */
export interface OutboundPolicy {
  operatorHosts: readonly AllowedHost[];
  /** PUBLIC_URL's host and port. */
  ownHost?: AllowedHost;
}
