import { majorToMinor } from '../../../shared/money.ts';
import { readFormParams } from '../common/form-params.ts';
import { InboundRejectedError } from '../errors.ts';
import type { InboundReading, InboundRequest, InboundVerification } from '../provider.ts';
import { CONFIRMATION_FIELDS, idramInboundKind, PRECHECK_FIELDS, requireFields } from './inbound-params.ts';

/** A verified Idram request → what it says: a precheck question, a payment confirmation, or a return. */
export function parseIdramInbound(req: InboundRequest, verification: InboundVerification): InboundReading {
  const params = readFormParams(req);
  const kind = idramInboundKind(req, params);
  if (kind === 'precheck') return parsePrecheck(params);
  if (kind === 'return') {
    const bill = params.EDP_BILL_NO?.trim() || undefined;
    return { kind: 'return', dedupeKey: `idram:return:${bill ?? '-'}`, ref: bill ? { providerOrderNo: bill } : {} };
  }
  return parseConfirmation(params, verification);
}

function parsePrecheck(params: Record<string, string>): InboundReading {
  const fields = requireFields(params, PRECHECK_FIELDS, 'precheck');
  const amountMinor = parseAmount(fields.EDP_AMOUNT);
  return {
    kind: 'precheck',
    // Normalized amount so "1900" and "1900.00" for the same bill are one question.
    dedupeKey: `idram:precheck:${fields.EDP_BILL_NO}:${amountMinor}`,
    ref: { providerOrderNo: fields.EDP_BILL_NO },
    // Idram does not sign prechecks: this is a question, answered from the ledger's own records only.
    fact: { status: 'pending', amountMinor, currency: 'AMD', providerOrderNo: fields.EDP_BILL_NO, rawStatus: 'precheck' },
  };
}

function parseConfirmation(params: Record<string, string>, verification: InboundVerification): InboundReading {
  const fields = requireFields(params, CONFIRMATION_FIELDS, 'confirmation');
  const amountMinor = parseAmount(fields.EDP_AMOUNT);
  return {
    kind: 'notification',
    // EDP_TRANS_ID is Idram's unique transaction id: a repeated confirmation is the same event.
    dedupeKey: `idram:confirm:${fields.EDP_TRANS_ID}`,
    ref: { providerOrderNo: fields.EDP_BILL_NO, providerPaymentId: fields.EDP_TRANS_ID },
    fact: verification.authenticated
      ? {
          status: 'paid',
          amountMinor,
          currency: 'AMD',
          providerPaymentId: fields.EDP_TRANS_ID,
          providerOrderNo: fields.EDP_BILL_NO,
          // EDP_TRANS_DATE is a bare dd/mm/yyyy: too coarse for occurredAt, kept in the raw event.
          rawStatus: `confirmed ${fields.EDP_TRANS_DATE} payer ${fields.EDP_PAYER_ACCOUNT}`,
        }
      : undefined,
  };
}

function parseAmount(text: string): number {
  const minor = majorToMinor(text, 'AMD');
  if (minor === undefined || minor <= 0) {
    throw new InboundRejectedError('idram_bad_amount', 400, `EDP_AMOUNT "${text}" is not a positive AMD amount such as 1900 or 1900.00`);
  }
  return minor;
}
