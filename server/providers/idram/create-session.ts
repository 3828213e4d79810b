import { minorToMajorString } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { CreateSessionInput, CreateSessionResult, Language, ProviderContext } from '../provider.ts';
import { IDRAM_DEFAULT_ORIGIN, IDRAM_PAYMENT_PATH, IDRAM_SESSION_TTL_SEC } from './constants.ts';
import type { IdramCredentials } from './credentials.ts';

const EDP_LANGUAGE: Record<Language, string> = { hy: 'AM', ru: 'RU', en: 'EN' };

/**
 * Idram has no server-side create call: the session is the browser form we auto-submit to
 * GetPayment. EDP_AMOUNT is in major units with a dot ("1900", "1900.5").
 */
export async function createIdramSession(ctx: ProviderContext<IdramCredentials>, input: CreateSessionInput): Promise<CreateSessionResult> {
  const { attempt } = input;
  if (attempt.currency !== 'AMD') {
    throw new ProviderError(
      'idram',
      'currency_not_supported',
      `Idram accepts only AMD, this payment is in ${attempt.currency}; create the payment in AMD or choose another provider`,
    );
  }
  if (!Number.isSafeInteger(attempt.amountMinor) || attempt.amountMinor <= 0) {
    throw new ProviderError('idram', 'invalid_amount', `amount ${attempt.amountMinor} must be a positive integer of minor units`);
  }
  const origin = ctx.baseUrl ?? IDRAM_DEFAULT_ORIGIN;
  const ttlSec = Math.min(input.ttlSec, IDRAM_SESSION_TTL_SEC);
  return {
    redirect: {
      method: 'POST',
      url: `${origin}${IDRAM_PAYMENT_PATH}`,
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
