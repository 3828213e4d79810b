import { ConflictError } from '../errors/app-error.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import type { ProviderConfig } from './config-rows.ts';
import type { PaymentProvider, ProviderContext } from './provider.ts';
import type { OutboundPolicy } from './transport/outbound-policy.ts';

export interface ContextDeps {
  http: HttpClient;
  outbound: OutboundPolicy;
  clock: Clock;
  publicUrl: string;
}

/**
 * The context an adapter is called with for one account: its credentials re-validated with the
 * provider's own schema, so a malformed row fails here with a fix, not at the bank.
 */
export function providerContext(
  deps: ContextDeps,
  provider: PaymentProvider<any>,
  accountId: number,
  config: ProviderConfig | undefined,
): ProviderContext<any> {
  const name = provider.name;
  if (!config) {
    throw new ConflictError(
      'provider_not_configured',
      `${name} is not configured for account ${accountId}; an admin must add its credentials in the widget settings.`,
    );
  }
  const creds = provider.credentialsSchema.safeParse(config.credentials);
  if (!creds.success) {
    throw new ConflictError(
      'provider_misconfigured',
      `${name} credentials for account ${accountId} are incomplete: ${creds.error.issues.map((i) => i.path.join('.')).join(', ')}. Fix them in the widget settings.`,
    );
  }
  return {
    accountId,
    mode: config.mode,
    credentials: creds.data,
    baseUrl: config.baseUrl?.replace(/\/+$/, ''),
    http: deps.http,
    outbound: deps.outbound,
    clock: deps.clock,
    publicUrl: deps.publicUrl,
  };
}
