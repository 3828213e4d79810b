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
 * absent means AMD, the only currency Telcell invoices have. Anything else is undefined here, and
 * reported as `unrecognizedCurrency` (telcellUnrecognizedCurrency) so the ledger never marks it paid.
 */
export function telcellCurrency(raw: string | undefined): 'AMD' | undefined {
  const value = raw?.trim() ?? '';
  return value === '' || value === '֏' || value === '051' || value.toUpperCase() === 'AMD' ? 'AMD' : undefined;
}

/** The raw status, plus the currency when it is one we could not read (kept for support). */
export function telcellRawStatus(status: string, currency: string | undefined): string {
  return telcellCurrency(currency) === undefined ? `${status} (currency "${currency}")` : status;
}

/** The raw currency when Telcell named one that is not AMD, for ProviderFact.unrecognizedCurrency. */
export function telcellUnrecognizedCurrency(raw: string | undefined): string | undefined {
  return telcellCurrency(raw) === undefined ? raw?.trim() : undefined;
}

/** Spread into a fact: the field only when there is something to say. */
export function unrecognized(currency: string | undefined): { unrecognizedCurrency?: string } {
  return currency ? { unrecognizedCurrency: currency } : {};
}
