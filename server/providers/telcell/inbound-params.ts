import { readFormParams } from '../common/form-params.ts';
import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest } from '../provider.ts';
import { restoreBase64Plus } from './base64.ts';
import { CALLBACK_CHECKSUM_FIELDS } from './checksum.ts';
import type { TelcellCallbackChecksum } from './credentials.ts';

/** The parameter that carries Telcell's invoice number under each formula. */
export const INVOICE_PARAM: Record<TelcellCallbackChecksum, string> = { invoice: 'invoice', invoice_buyer: 'invoice_id' };

/** The form fields of a Telcell request, issuer_id with any '+' that a query string turned into a space restored. */
export function readTelcellParams(req: InboundRequest): Record<string, string> {
  const params = readFormParams(req);
  if (params.issuer_id !== undefined) params.issuer_id = restoreBase64Plus(params.issuer_id);
  return params;
}

/**
 * RESULT_URL callbacks carry `status` and `checksum`; anything without both is the customer's browser
 * coming back through REDIRECT_URL (issuer_id / order, unsigned), which only triggers a status query.
 */
export function isTelcellCallback(params: Record<string, string>): boolean {
  return params.checksum !== undefined || params.status !== undefined;
}

export function otherFormula(formula: TelcellCallbackChecksum): TelcellCallbackChecksum {
  return formula === 'invoice' ? 'invoice_buyer' : 'invoice';
}

export function hasAll(params: Record<string, string>, names: readonly string[]): boolean {
  return names.every((name) => params[name] !== undefined);
}

/** Every field the formula signs must be present; a hint names the other formula when the fields fit it. */
export function assertCallbackFields(params: Record<string, string>, formula: TelcellCallbackChecksum): void {
  const names = CALLBACK_CHECKSUM_FIELDS[formula];
  // payment_id, buyer, currency, sum and time may be empty for a rejected invoice, but must be sent.
  const mustHaveValue = new Set([INVOICE_PARAM[formula], 'issuer_id', 'status']);
  const missing = names.filter((name) => params[name] === undefined || (mustHaveValue.has(name) && params[name].trim() === ''));
  if (missing.length === 0) return;
  const other = otherFormula(formula);
  const hint = hasAll(params, CALLBACK_CHECKSUM_FIELDS[other])
    ? `; the parameters fit the '${other}' formula: set callbackChecksum to '${other}'`
    : '';
  throw new InboundRejectedError('telcell_missing_fields', 400, `Telcell callback lacks ${missing.join(', ')}${hint}`);
}
