import { isAppError } from '../errors/app-error.ts';
import { ProviderTimeoutError, ProviderUnreachableError } from './errors.ts';
import type { PaymentProvider, ProviderContext } from './provider.ts';

/**
 * The answer of POST /api/v1/settings/providers/:provider/test and of doctor's provider lines.
 * Codes: credentials_accepted, credentials_rejected, `<provider>_unreachable`, `<provider>_timeout`,
 * probe_not_supported, invalid_settings (the route's), or the provider's own error code when it
 * answered something else (the message says what).
 */
export interface ProbeAnswer {
  ok: boolean;
  code: string;
  message: string;
}

/** Why a provider has no probe, per provider. */
const NOT_SUPPORTED: Record<string, string> = {
  idram:
    'Idram has no API to call: nothing can be checked from here. The first payment confirms the settings (its signed confirmation reaches RESULT_URL).',
  telcell:
    "Telcell's only API (check_bill) needs a real invoice number, so the credentials cannot be checked without a payment. The first payment's signed callback confirms them.",
};

/**
 * One harmless call through the provider's probe (it changes nothing at the provider), with the
 * transport's failures turned into the stable codes. Never throws for a provider failure.
 */
export async function probeProvider(provider: PaymentProvider<any>, ctx: ProviderContext<any>): Promise<ProbeAnswer> {
  if (!provider.probe) {
    return {
      ok: false,
      code: 'probe_not_supported',
      message: NOT_SUPPORTED[provider.name] ?? `${provider.name} cannot be checked without a payment.`,
    };
  }
  try {
    return await provider.probe(ctx);
  } catch (err) {
    if (err instanceof ProviderUnreachableError) return { ok: false, code: `${provider.name}_unreachable`, message: err.message };
    if (err instanceof ProviderTimeoutError) return { ok: false, code: `${provider.name}_timeout`, message: err.message };
    if (isAppError(err)) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}
