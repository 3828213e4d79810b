import { ProviderError } from '../errors.ts';

/** Idram publishes no status, refund or cancel API: only its signed confirmation settles a payment. */
export function idramNotSupported(what: 'status query' | 'refund' | 'cancel'): ProviderError {
  const hint =
    what === 'refund'
      ? 'refund through the Idram merchant cabinet or Idram support, then record it here'
      : what === 'cancel'
        ? 'an Idram payment cannot be voided by API; refund it through the Idram merchant cabinet'
        : 'an Idram payment is settled only by its signed confirmation to RESULT_URL';
  return new ProviderError('idram', 'not_supported', `Idram has no ${what} API: ${hint}`);
}
