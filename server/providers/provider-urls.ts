import type { ProviderName } from './provider.ts';

/** What an admin gives a provider once, per provider (Settings.providerUrls, read-only). */
export interface ProviderUrls {
  /** Where the provider sends its notifications (RESULT_URL, the callback URL). */
  notifyUrl?: string;
  /** Idram's SUCCESS_URL and FAIL_URL: where it sends the customer back. */
  successUrl?: string;
  failUrl?: string;
  /** Telcell's REDIRECT_URL: where it sends the customer back. */
  returnUrl?: string;
}

/** The pay page's return for providers that cannot be told a per-payment return URL (server/pay-page/routes/provider-return.ts). */
export function providerReturnUrl(
  publicUrl: string,
  provider: 'idram' | 'telcell',
  accountId: number,
  outcome?: 'success' | 'fail',
): string {
  return `${publicUrl}/pay/return/${provider}/${accountId}${outcome ? `/${outcome}` : ''}`;
}

/**
 * Every URL an admin must give each provider, for one account (docs/architecture.md, Flows 4): the
 * notification URL of those that notify (Ameriabank sends none: each payment carries its own
 * return URL), and the customer's return for Idram (success, fail) and Telcell (redirect), whose
 * staff configure them once per merchant instead of taking one per payment.
 */
export function providerUrlsOf(
  publicUrl: string,
  accountId: number,
  providers: readonly ProviderName[],
): Partial<Record<ProviderName, ProviderUrls>> {
  const notify = (name: ProviderName) => `${publicUrl}/webhooks/${name}/${accountId}`;
  const all: Record<ProviderName, ProviderUrls> = {
    ameriabank: {},
    arca: { notifyUrl: notify('arca') },
    idram: {
      notifyUrl: notify('idram'),
      successUrl: providerReturnUrl(publicUrl, 'idram', accountId, 'success'),
      failUrl: providerReturnUrl(publicUrl, 'idram', accountId, 'fail'),
    },
    telcell: { notifyUrl: notify('telcell'), returnUrl: providerReturnUrl(publicUrl, 'telcell', accountId) },
    sandbox: { notifyUrl: notify('sandbox') },
  };
  return Object.fromEntries(providers.map((name) => [name, all[name]]));
}
