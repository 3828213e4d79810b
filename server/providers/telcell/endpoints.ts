/** Telcell support: test and live share this host, only the credentials differ. ctx.baseUrl replaces the origin. */
export const TELCELL_DEFAULT_ORIGIN = 'https://telcellmoney.am';

/** The hosts a tenant's `baseUrl` may name without PROVIDER_ALLOWED_HOSTS (https only): Telcell's invoices host. */
export const TELCELL_OFFICIAL_HOSTS: readonly string[] = ['telcellmoney.am'];
export const TELCELL_INVOICES_PATH = '/invoices';

/** PostInvoice (the browser form) and check_bill (our status call) both go here. */
export function telcellInvoicesUrl(baseUrl: string | undefined): string {
  return `${baseUrl ?? TELCELL_DEFAULT_ORIGIN}${TELCELL_INVOICES_PATH}`;
}
