import { majorToMinor } from '../../../shared/money.ts';
import { safeEqual } from '../../crypto/hmac.ts';
import { InboundRejectedError } from '../errors.ts';
import type { InboundRequest, ParsedInbound, ProviderContext } from '../provider.ts';
import { isValidIdramChecksum, type IdramConfirmationFields } from './checksum.ts';
import type { IdramCredentials } from './credentials.ts';
import { readFormParams } from '../common/form-params.ts';

const PRECHECK_FIELDS = ['EDP_BILL_NO', 'EDP_REC_ACCOUNT', 'EDP_AMOUNT'] as const;
const CONFIRMATION_FIELDS = [
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
export function parseIdramInbound(ctx: ProviderContext<IdramCredentials>, req: InboundRequest): ParsedInbound {
  const params = readFormParams(req);
  if (params.EDP_PRECHECK !== undefined) return parsePrecheck(ctx, params);
  if (isBrowserReturn(req, params)) {
    const bill = params.EDP_BILL_NO?.trim() || undefined;
    return {
      kind: 'return',
      authenticated: false,
      dedupeKey: `idram:return:${bill ?? '-'}:${req.receivedAt}`,
      ref: bill ? { providerOrderNo: bill } : {},
    };
  }
  return parseConfirmation(ctx, params);
}

function parsePrecheck(ctx: ProviderContext<IdramCredentials>, params: Record<string, string>): ParsedInbound {
  if (params.EDP_PRECHECK.trim().toUpperCase() !== 'YES') {
    throw new InboundRejectedError('idram_bad_precheck', 400, `EDP_PRECHECK must be "YES", got "${params.EDP_PRECHECK}"`);
  }
  const fields = requireFields(params, PRECHECK_FIELDS, 'precheck');
  assertOurAccount(ctx, fields.EDP_REC_ACCOUNT);
  const amountMinor = parseAmount(fields.EDP_AMOUNT);
  return {
    kind: 'precheck',
    // Idram does not sign prechecks: the ledger answers from its own records only.
    authenticated: false,
    // Normalized amount so "1900" and "1900.00" for the same bill are one question.
    dedupeKey: `idram:precheck:${fields.EDP_BILL_NO}:${amountMinor}`,
    ref: { providerOrderNo: fields.EDP_BILL_NO },
    fact: {
      status: 'pending',
      amountMinor,
      currency: 'AMD',
      providerOrderNo: fields.EDP_BILL_NO,
      rawStatus: 'precheck',
    },
  };
}

function parseConfirmation(ctx: ProviderContext<IdramCredentials>, params: Record<string, string>): ParsedInbound {
  const fields: IdramConfirmationFields = requireFields(params, CONFIRMATION_FIELDS, 'confirmation');
  assertOurAccount(ctx, fields.EDP_REC_ACCOUNT);
  const checksum = params.EDP_CHECKSUM;
  if (!checksum || !isValidIdramChecksum(fields, ctx.credentials.secretKey, checksum)) {
    throw new InboundRejectedError(
      'idram_bad_checksum',
      401,
      checksum
        ? 'EDP_CHECKSUM does not match: check that secretKey equals the SECRET_KEY Idram configured for this IdramID'
        : 'EDP_CHECKSUM is missing: an Idram payment confirmation is always signed',
    );
  }
  const amountMinor = parseAmount(fields.EDP_AMOUNT);
  return {
    kind: 'notification',
    authenticated: true,
    // EDP_TRANS_ID is Idram's unique transaction id: a repeated confirmation is the same event.
    dedupeKey: `idram:confirm:${fields.EDP_TRANS_ID}`,
    ref: { providerOrderNo: fields.EDP_BILL_NO, providerPaymentId: fields.EDP_TRANS_ID },
    fact: {
      status: 'paid',
      amountMinor,
      currency: 'AMD',
      providerPaymentId: fields.EDP_TRANS_ID,
      providerOrderNo: fields.EDP_BILL_NO,
      // EDP_TRANS_DATE is a bare dd/mm/yyyy: too coarse for occurredAt, kept in the raw event.
      rawStatus: `confirmed ${fields.EDP_TRANS_DATE} payer ${fields.EDP_PAYER_ACCOUNT}`,
    },
  };
}

/** A browser GET with no payment fields: only SUCCESS_URL/FAIL_URL look like this. */
function isBrowserReturn(req: InboundRequest, params: Record<string, string>): boolean {
  if (req.method.toUpperCase() !== 'GET') return false;
  return Object.keys(params).every((key) => !key.startsWith('EDP_') || key === 'EDP_BILL_NO' || key === 'EDP_LANGUAGE');
}

function requireFields<K extends string>(params: Record<string, string>, names: readonly K[], what: string): Record<K, string> {
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

function assertOurAccount(ctx: ProviderContext<IdramCredentials>, recAccount: string): void {
  if (!safeEqual(recAccount, ctx.credentials.recAccount)) {
    throw new InboundRejectedError(
      'idram_wrong_account',
      401,
      `EDP_REC_ACCOUNT ${recAccount} is not this account's IdramID; check recAccount in the Idram settings`,
    );
  }
}

function parseAmount(text: string): number {
  const minor = majorToMinor(text, 'AMD');
  if (minor === undefined || minor <= 0) {
    throw new InboundRejectedError('idram_bad_amount', 400, `EDP_AMOUNT "${text}" is not a positive AMD amount such as 1900 or 1900.00`);
  }
  return minor;
}
