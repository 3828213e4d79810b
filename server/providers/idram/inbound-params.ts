import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest } from '../provider.ts';

export const PRECHECK_FIELDS = ['EDP_BILL_NO', 'EDP_REC_ACCOUNT', 'EDP_AMOUNT'] as const;
export const CONFIRMATION_FIELDS = [
  'EDP_BILL_NO',
  'EDP_REC_ACCOUNT',
  'EDP_PAYER_ACCOUNT',
  'EDP_AMOUNT',
  'EDP_TRANS_ID',
  'EDP_TRANS_DATE',
] as const;

/**
 * Idram calls RESULT_URL twice per payment: an unsigned precheck ("may bill X be paid for amount Y?")
 * and a signed confirmation after the money moved. A GET carrying no payment fields (at most
 * EDP_BILL_NO) is a customer's browser sent back through SUCCESS_URL/FAIL_URL.
 */
export function idramInboundKind(req: InboundRequest, params: Record<string, string>): 'precheck' | 'return' | 'confirmation' {
  if (params.EDP_PRECHECK !== undefined) {
    if (params.EDP_PRECHECK.trim().toUpperCase() !== 'YES') {
      throw new InboundRejectedError('idram_bad_precheck', 400, `EDP_PRECHECK must be "YES", got "${params.EDP_PRECHECK}"`);
    }
    return 'precheck';
  }
  return isBrowserReturn(req, params) ? 'return' : 'confirmation';
}

/** A browser GET with no payment fields: only SUCCESS_URL/FAIL_URL look like this. */
function isBrowserReturn(req: InboundRequest, params: Record<string, string>): boolean {
  if (req.method.toUpperCase() !== 'GET') return false;
  return Object.keys(params).every((key) => !key.startsWith('EDP_') || key === 'EDP_BILL_NO' || key === 'EDP_LANGUAGE');
}

export function requireFields<K extends string>(params: Record<string, string>, names: readonly K[], what: string): Record<K, string> {
  const missing = names.filter((name) => !params[name]?.trim());
  if (missing.length > 0) {
    throw new InboundRejectedError(
      'idram_missing_fields',
      400,
      `Idram ${what} lacks ${missing.join(', ')}; RESULT_URL must point at /webhooks/idram/:accountId and receive Idram's form fields`,
    );
  }
  return Object.fromEntries(names.map((name) => [name, params[name].trim()])) as Record<K, string>;
}
