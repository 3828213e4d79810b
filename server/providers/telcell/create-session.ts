import { isValidAmountMinor, minorToMajorString } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { CreateSessionInput, CreateSessionResult, Language, ProviderContext } from '../provider.ts';
import { toBase64 } from './base64.ts';
import { postInvoiceSecurityCode } from './checksum.ts';
import type { TelcellCredentials } from './credentials.ts';
import { telcellInvoicesUrl } from './endpoints.ts';

/** PostInvoice's currency is the dram sign, not a code. */
const TELCELL_CURRENCY_SIGN = '֏';

/** valid_days is whole days; one day is the shortest invoice Telcell allows. */
const TELCELL_VALID_DAYS = 1;
export const TELCELL_SESSION_TTL_SEC = TELCELL_VALID_DAYS * 86_400;

const LANG: Record<Language, string> = { hy: 'am', ru: 'ru', en: 'en' };

/**
 * PostInvoice is a browser form (no server call): the customer's browser posts it to Telcell, which
 * shows the invoice. price is whole drams; product and issuer_id travel base64-encoded and the
 * security_code covers the encoded values.
 */
export async function createTelcellSession(
  ctx: ProviderContext<TelcellCredentials>,
  input: CreateSessionInput,
): Promise<CreateSessionResult> {
  const { attempt } = input;
  // caps.currencies is AMD only: defineProvider refused any other currency before this runs.
  if (!isValidAmountMinor(attempt.amountMinor)) {
    throw new ProviderError('telcell', 'telcell_bad_amount', `amount ${attempt.amountMinor} must be a positive integer of minor units`);
  }
  if (attempt.amountMinor % 100 !== 0) {
    throw new ProviderError(
      'telcell',
      'telcell_whole_drams_only',
      `Telcell takes whole drams; ${minorToMajorString(attempt.amountMinor, 'AMD')} AMD is not whole. Round the payment to whole drams or choose another provider`,
    );
  }
  const fields = {
    issuer: ctx.credentials.shopId,
    currency: TELCELL_CURRENCY_SIGN,
    price: String(attempt.amountMinor / 100),
    product: toBase64(input.description),
    issuer_id: toBase64(attempt.providerOrderNo),
    valid_days: String(TELCELL_VALID_DAYS),
  };
  return {
    redirect: {
      method: 'POST',
      url: telcellInvoicesUrl(ctx.baseUrl),
      form: {
        action: 'PostInvoice',
        ...fields,
        lang: LANG[input.language] ?? 'en',
        security_code: postInvoiceSecurityCode(ctx.credentials.shopKey, fields),
      },
    },
    // The invoice stays payable for valid_days whatever our own link says: money may still arrive
    // until then, and the ledger treats a late success as paid + needs review.
    sessionExpiresAt: ctx.clock.now() + TELCELL_SESSION_TTL_SEC * 1000,
  };
}
