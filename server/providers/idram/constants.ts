/** Idram's payment page; ctx.baseUrl replaces the origin (tests). */
export const IDRAM_DEFAULT_ORIGIN = 'https://banking.idram.am';
export const IDRAM_PAYMENT_PATH = '/Payment/GetPayment';

/**
 * Idram documents no session expiry: the form can be posted as long as the bill is open on our side.
 * 20 minutes matches the other providers, so a pending attempt is reused only briefly.
 */
export const IDRAM_SESSION_TTL_SEC = 1200;
