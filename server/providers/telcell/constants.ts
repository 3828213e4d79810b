/** Telcell support: test and live share this host, only the credentials differ. ctx.baseUrl replaces the origin. */
export const TELCELL_DEFAULT_ORIGIN = 'https://telcellmoney.am';
export const TELCELL_INVOICES_PATH = '/invoices';

/** PostInvoice's currency is the dram sign, not a code. */
export const TELCELL_CURRENCY_SIGN = '֏';

/** valid_days is whole days; one day is the shortest invoice Telcell allows. */
export const TELCELL_VALID_DAYS = 1;
export const TELCELL_SESSION_TTL_SEC = TELCELL_VALID_DAYS * 86_400;

export function telcellInvoicesUrl(baseUrl: string | undefined): string {
  return `${baseUrl ?? TELCELL_DEFAULT_ORIGIN}${TELCELL_INVOICES_PATH}`;
}
