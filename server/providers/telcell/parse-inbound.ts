import { majorToMinor } from '../../../shared/money.ts';
import { InboundRejectedError } from '../errors.ts';
import type { InboundReading, InboundRequest, InboundVerification, ProviderContext } from '../provider.ts';
import { decodeIssuerId, restoreBase64Plus } from './base64.ts';
import { callbackChecksumOf, type TelcellCredentials } from './credentials.ts';
import { assertCallbackFields, INVOICE_PARAM, isTelcellCallback, readTelcellParams } from './inbound-params.ts';
import { mapTelcellStatus, telcellCurrency, telcellRawStatus, telcellUnrecognizedCurrency, unrecognized } from './status-map.ts';

/** A verified Telcell request → a RESULT_URL callback's fact, or a browser return that only names the order. */
export function parseTelcellInbound(
  ctx: ProviderContext<TelcellCredentials>,
  req: InboundRequest,
  verification: InboundVerification,
): InboundReading {
  const params = readTelcellParams(req);
  if (!isTelcellCallback(params)) return browserReturn(params);
  return parseCallback(ctx, params, verification);
}

function browserReturn(params: Record<string, string>): InboundReading {
  const raw = params.issuer_id?.trim() || params.order?.trim();
  const orderNo = raw ? decodeIssuerId(restoreBase64Plus(raw)) : undefined;
  return {
    kind: 'return',
    dedupeKey: `telcell:return:${orderNo ?? '-'}`,
    ref: orderNo ? { providerOrderNo: orderNo } : {},
  };
}

function parseCallback(
  ctx: ProviderContext<TelcellCredentials>,
  params: Record<string, string>,
  verification: InboundVerification,
): InboundReading {
  const formula = callbackChecksumOf(ctx.credentials);
  assertCallbackFields(params, formula);
  const invoice = params[INVOICE_PARAM[formula]].trim();
  const status = params.status.trim().toUpperCase().replace(/\s+/g, ' ');
  const sum = params.sum?.trim() ?? '';
  const amountMinor = sum === '' ? undefined : majorToMinor(sum, 'AMD');
  if (sum !== '' && amountMinor === undefined) {
    throw new InboundRejectedError('telcell_bad_amount', 400, `sum "${sum}" is not an AMD amount such as 1900`);
  }
  const providerOrderNo = decodeIssuerId(params.issuer_id.trim());
  return {
    kind: 'notification',
    // One invoice moves through each status once; a resent callback repeats both.
    dedupeKey: `telcell:${invoice}:${status}`,
    ref: { providerOrderNo, providerPaymentId: invoice },
    fact: verification.authenticated
      ? {
          status: mapTelcellStatus(status),
          amountMinor,
          currency: telcellCurrency(params.currency),
          ...unrecognized(telcellUnrecognizedCurrency(params.currency)),
          // The invoice number is what check_bill takes: the ledger stores it as the attempt's payment id.
          providerPaymentId: invoice,
          providerOrderNo,
          rawStatus: telcellRawStatus(status, params.currency),
          occurredAt: parseTelcellTime(params.time),
        }
      : undefined,
  };
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
