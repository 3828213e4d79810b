import { isValidAmountMinor, minorToMajorString } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { CreateSessionInput, CreateSessionResult, Language, ProviderContext } from '../provider.ts';
import type { IdramCredentials } from './credentials.ts';
import { idramPaymentUrl } from './endpoints.ts';

/**
 * Idram documents no session expiry: the form can be posted as long as the bill is open on our side.
 * 20 minutes matches the other providers, so a pending attempt is reused only briefly.
 */
export const IDRAM_SESSION_TTL_SEC = 1200;

const EDP_LANGUAGE: Record<Language, string> = { hy: 'AM', ru: 'RU', en: 'EN' };

/**
 * Idram has no server-side create call: the session is the browser form we auto-submit to
 * GetPayment. EDP_AMOUNT is in major units with a dot ("1900", "1900.5").
 */
export async function createIdramSession(ctx: ProviderContext<IdramCredentials>, input: CreateSessionInput): Promise<CreateSessionResult> {
  const { attempt } = input;
  // caps.currencies is AMD only: defineProvider refused any other currency before this runs.
  if (!isValidAmountMinor(attempt.amountMinor)) {
    throw new ProviderError('idram', 'idram_bad_amount', `amount ${attempt.amountMinor} must be a positive integer of minor units`);
  }
  const ttlSec = Math.min(input.ttlSec, IDRAM_SESSION_TTL_SEC);
  return {
    redirect: {
      method: 'POST',
      url: idramPaymentUrl(ctx.baseUrl),
      form: {
        EDP_LANGUAGE: EDP_LANGUAGE[input.language] ?? 'EN',
        EDP_REC_ACCOUNT: ctx.credentials.recAccount,
        EDP_DESCRIPTION: input.description,
        EDP_AMOUNT: minorToMajorString(attempt.amountMinor, 'AMD', { trim: true }),
        EDP_BILL_NO: attempt.providerOrderNo,
      },
    },
    sessionExpiresAt: ctx.clock.now() + ttlSec * 1000,
  };
}
