import { majorToMinor } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderContext, ProviderFact } from '../provider.ts';
import { decodeIssuerId } from './base64.ts';
import { checkBillChecksum } from './checksum.ts';
import type { TelcellCredentials } from './credentials.ts';
import { callTelcell } from './api-call.ts';
import { parseKeyValueLines } from './fields.ts';
import { mapTelcellStatus, telcellCurrency, telcellRawStatus, telcellUnrecognizedCurrency, unrecognized } from './status-map.ts';

/**
 * check_bill takes Telcell's invoice number, which we learn only from the first RESULT_URL callback
 * (PostInvoice is a browser form and returns nothing to us). Before that the attempt is pending.
 */
export async function queryTelcellStatus(ctx: ProviderContext<TelcellCredentials>, attempt: AttemptRef): Promise<ProviderFact> {
  const invoice = attempt.providerPaymentId?.trim();
  if (!invoice) {
    return {
      status: 'pending',
      rawStatus: 'no Telcell invoice number yet: it arrives with the first RESULT_URL callback, check_bill needs it',
    };
  }
  const { shopId, shopKey } = ctx.credentials;
  const res = await callTelcell(ctx, 'check_bill', {
    'check_bill:issuer': shopId,
    invoice,
    checksum: checkBillChecksum(shopKey, shopId, invoice),
  });
  if (res.status < 200 || res.status >= 300) {
    throw new ProviderError(
      'telcell',
      'telcell_http_error',
      `check_bill answered HTTP ${res.status}; the status will be asked again later`,
      { status: res.status },
      { said: res.text },
    );
  }
  const fields = parseKeyValueLines(res.text);
  const rawStatus = fields.status?.trim();
  if (!rawStatus) {
    throw new ProviderError(
      'telcell',
      'telcell_bad_response',
      'check_bill answered without a status line: check shopId and shopKey, and that the invoice belongs to this shop',
      undefined,
      { said: res.text },
    );
  }
  const sum = fields.sum?.trim();
  const amountMinor = sum ? majorToMinor(sum, 'AMD') : undefined;
  if (sum && amountMinor === undefined) {
    throw new ProviderError('telcell', 'telcell_bad_response', 'check_bill answered a sum that is not an AMD amount', undefined, {
      said: res.text,
    });
  }
  const issuerId = fields.issuer_id?.trim();
  return {
    status: mapTelcellStatus(rawStatus),
    amountMinor,
    currency: telcellCurrency(fields.currency),
    ...unrecognized(telcellUnrecognizedCurrency(fields.currency)),
    providerPaymentId: fields.invoice?.trim() || invoice,
    // Only what Telcell says: the ledger compares it with ours when present.
    providerOrderNo: issuerId ? decodeIssuerId(issuerId) : undefined,
    rawStatus: telcellRawStatus(rawStatus.toUpperCase().replace(/\s+/g, ' '), fields.currency),
  };
}
