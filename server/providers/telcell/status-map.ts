import type { ProviderFact } from '../provider.ts';

/**
 * Telcell's invoice statuses (callback `status`, check_bill `status`). Anything else is 'unknown'
 * and keeps its raw text: the reconciler asks again later.
 */
export function mapTelcellStatus(raw: string): ProviderFact['status'] {
  switch (raw.trim().toUpperCase().replace(/\s+/g, ' ')) {
    case 'PAID':
      return 'paid';
    case 'REJECTED':
      return 'failed';
    case 'EXPIRED':
      return 'expired';
    case 'CANCELED':
    case 'CANCELLED':
    case 'CANCELED FOR REPEAT':
    case 'CANCELLED FOR REPEAT':
      return 'cancelled';
    case 'NEW':
    case 'PENDING':
    case 'CREATED':
      return 'pending';
    default:
      return 'unknown';
  }
}

/**
 * Telcell writes the currency as the dram sign (PostInvoice), "051" (bill API) or possibly "AMD";
 * absent means AMD, the only currency Telcell invoices have. Anything else is undefined so the
 * ledger sees a currency it cannot match and never marks the attempt paid.
 */
export function telcellCurrency(raw: string | undefined): 'AMD' | undefined {
  const value = raw?.trim() ?? '';
  return value === '' || value === '֏' || value === '051' || value.toUpperCase() === 'AMD' ? 'AMD' : undefined;
}

/** The raw status, plus the currency when it is one we could not read (kept for support). */
export function telcellRawStatus(status: string, currency: string | undefined): string {
  return telcellCurrency(currency) === undefined ? `${status} (currency "${currency}")` : status;
}
