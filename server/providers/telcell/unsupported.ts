import { ProviderError } from '../errors.ts';

/** No refund or cancel API for Telcell wallet invoices is published. */
export function telcellNotSupported(what: 'refund' | 'cancel'): ProviderError {
  return new ProviderError(
    'telcell',
    'not_supported',
    `Telcell has no ${what} API for wallet invoices: ${what === 'refund' ? 'refund' : 'reverse the payment'} through Telcell merchant support, then record it here`,
  );
}
