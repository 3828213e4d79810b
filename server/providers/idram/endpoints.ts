/** Idram's payment page; ctx.baseUrl replaces the origin (tests). */
export const IDRAM_DEFAULT_ORIGIN = 'https://banking.idram.am';

/** The hosts a tenant's `baseUrl` may name without PROVIDER_ALLOWED_HOSTS (https only): Idram's payment pages. */
export const IDRAM_OFFICIAL_HOSTS: readonly string[] = ['banking.idram.am', 'money.idram.am'];
export const IDRAM_PAYMENT_PATH = '/Payment/GetPayment';

/** Where the customer's browser posts the payment form. */
export function idramPaymentUrl(baseUrl: string | undefined): string {
  return `${baseUrl ?? IDRAM_DEFAULT_ORIGIN}${IDRAM_PAYMENT_PATH}`;
}
