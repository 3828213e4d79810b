import { majorToMinor } from '../../../shared/money.ts';
import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, ParsedInbound, ProviderContext } from '../provider.ts';
import { decodeIssuerId, restoreBase64Plus } from './base64.ts';
import { CALLBACK_CHECKSUM_FIELDS, isValidCallbackChecksum } from './checksum.ts';
import { callbackChecksumOf, type TelcellCallbackChecksum, type TelcellCredentials } from './credentials.ts';
import { readFormParams } from '../common/form-params.ts';
import { mapTelcellStatus, telcellCurrency, telcellRawStatus, telcellUnrecognizedCurrency, unrecognized } from './status-map.ts';

/** The parameter that carries Telcell's invoice number under each formula. */
const INVOICE_PARAM: Record<TelcellCallbackChecksum, string> = { invoice: 'invoice', invoice_buyer: 'invoice_id' };

/**
 * RESULT_URL callbacks carry `status` and `checksum`; anything without both is the customer's browser
 * coming back through REDIRECT_URL (issuer_id / order, unsigned), which only triggers a status query.
 */
export function parseTelcellInbound(ctx: ProviderContext<TelcellCredentials>, req: InboundRequest): ParsedInbound {
  const params = readFormParams(req);
  if (params.issuer_id !== undefined) params.issuer_id = restoreBase64Plus(params.issuer_id);
  if (params.checksum === undefined && params.status === undefined) return browserReturn(params, req.receivedAt);
  return parseCallback(ctx, params);
}

function browserReturn(params: Record<string, string>, receivedAt: number): ParsedInbound {
  const raw = params.issuer_id?.trim() || params.order?.trim();
  const orderNo = raw ? decodeIssuerId(restoreBase64Plus(raw)) : undefined;
  return {
    kind: 'return',
    authenticated: false,
    dedupeKey: `telcell:return:${orderNo ?? '-'}:${receivedAt}`,
    ref: orderNo ? { providerOrderNo: orderNo } : {},
  };
}

function parseCallback(ctx: ProviderContext<TelcellCredentials>, params: Record<string, string>): ParsedInbound {
  const formula = callbackChecksumOf(ctx.credentials);
  const invoiceParam = INVOICE_PARAM[formula];
  assertFields(params, formula, invoiceParam);

  const { shopKey } = ctx.credentials;
  if (!params.checksum?.trim()) {
    throw new InboundRejectedError('telcell_bad_checksum', 401, 'checksum is missing: a Telcell RESULT_URL callback is always signed');
  }
  if (!isValidCallbackChecksum(formula, shopKey, params, params.checksum)) {
    const other: TelcellCallbackChecksum = formula === 'invoice' ? 'invoice_buyer' : 'invoice';
    const otherMatches =
      hasAll(params, CALLBACK_CHECKSUM_FIELDS[other]) && isValidCallbackChecksum(other, shopKey, params, params.checksum);
    throw new InboundRejectedError(
      'telcell_bad_checksum',
      401,
      otherMatches
        ? `checksum matches Telcell's '${other}' formula, not the configured '${formula}': set callbackChecksum to '${other}' in the Telcell settings`
        : `checksum does not match the '${formula}' formula: check shopKey, and callbackChecksum ('invoice' or 'invoice_buyer')`,
    );
  }

  const invoice = params[invoiceParam].trim();
  const status = params.status.trim().toUpperCase().replace(/\s+/g, ' ');
  const sum = params.sum?.trim() ?? '';
  const amountMinor = sum === '' ? undefined : majorToMinor(sum, 'AMD');
  if (sum !== '' && amountMinor === undefined) {
    throw new InboundRejectedError('telcell_bad_amount', 400, `sum "${sum}" is not an AMD amount such as 1900`);
  }
  const providerOrderNo = decodeIssuerId(params.issuer_id.trim());
  return {
    kind: 'notification',
    authenticated: true,
    // One invoice moves through each status once; a resent callback repeats both.
    dedupeKey: `telcell:${invoice}:${status}`,
    ref: { providerOrderNo, providerPaymentId: invoice },
    fact: {
      status: mapTelcellStatus(status),
      amountMinor,
      currency: telcellCurrency(params.currency),
      ...unrecognized(telcellUnrecognizedCurrency(params.currency)),
      // The invoice number is what check_bill takes: the ledger stores it as the attempt's payment id.
      providerPaymentId: invoice,
      providerOrderNo,
      rawStatus: telcellRawStatus(status, params.currency),
      occurredAt: parseTelcellTime(params.time),
    },
  };
}

function assertFields(params: Record<string, string>, formula: TelcellCallbackChecksum, invoiceParam: string): void {
  const names = CALLBACK_CHECKSUM_FIELDS[formula];
  // payment_id, buyer, currency, sum and time may be empty for a rejected invoice, but must be sent.
  const mustHaveValue = new Set([invoiceParam, 'issuer_id', 'status']);
  const missing = names.filter((name) => params[name] === undefined || (mustHaveValue.has(name) && params[name].trim() === ''));
  if (missing.length === 0) return;
  const other: TelcellCallbackChecksum = formula === 'invoice' ? 'invoice_buyer' : 'invoice';
  const hint = hasAll(params, CALLBACK_CHECKSUM_FIELDS[other])
    ? `; the parameters fit the '${other}' formula: set callbackChecksum to '${other}'`
    : '';
  throw new InboundRejectedError('telcell_missing_fields', 400, `Telcell callback lacks ${missing.join(', ')}${hint}`);
}

function hasAll(params: Record<string, string>, names: readonly string[]): boolean {
  return names.every((name) => params[name] !== undefined);
}

/** Only unambiguous forms: epoch seconds/ms or ISO with a zone. A zoneless local time is left out. */
export function parseTelcellTime(raw: string | undefined): number | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (/^\d{10}$/.test(value)) return Number(value) * 1000;
  if (/^\d{13}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}
