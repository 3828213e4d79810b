import { ProviderError } from '../errors.ts';
import { text, type ArcaBody } from './fields.ts';

/** errorCode as text; undefined when absent (which is not success by itself). */
export function errorCodeOf(body: ArcaBody | undefined): string | undefined {
  return text(body, 'errorCode');
}

/**
 * Legacy iPay codes. The gateway's errorMessage varies by bank and language, so it is quoted, not
 * matched; our code says what to do.
 */
export function arcaError(method: string, body: ArcaBody | undefined): ProviderError {
  const code = errorCodeOf(body) ?? '(none)';
  const said = text(body, 'errorMessage');
  const what = `${method}.do errorCode ${code}${said ? ` "${said}"` : ''}`;
  switch (code) {
    case '1':
      return new ProviderError(
        'arca',
        'arca_duplicate_order',
        `${what}: this orderNumber is already registered; a new attempt gets a fresh one.`,
      );
    case '3':
      return new ProviderError('arca', 'arca_unknown_currency', `${what}: the gateway does not accept this currency for your merchant.`);
    case '4':
      return new ProviderError('arca', 'arca_missing_parameter', `${what}: a required parameter is missing or empty.`);
    case '5':
      return new ProviderError(
        'arca',
        'arca_access_denied',
        `${what}: check userName and password (some banks issue one API user per currency; new EPG users must change their password in the merchant portal first).`,
      );
    case '6':
      return new ProviderError(
        'arca',
        'arca_order_not_found',
        `${what}: the gateway does not know this order (wrong host or test/live mode?).`,
      );
    case '7':
      return new ProviderError('arca', 'arca_system_error', `${what}: the gateway had a system error; try again later.`);
    default:
      return new ProviderError('arca', 'arca_error', `${what}.`, { errorCode: code });
  }
}
