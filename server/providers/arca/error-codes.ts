import { ProviderError } from '../errors.ts';
import { text, type ArcaBody } from './fields.ts';

/** errorCode as text; undefined when absent (which is not success by itself). */
export function errorCodeOf(body: ArcaBody | undefined): string | undefined {
  return text(body, 'errorCode');
}

/** An errorCode as we may repeat it to a person: a number, or "(none)" for anything else. */
export function shownCode(raw: string | undefined): string {
  return raw !== undefined && /^-?\d{1,6}$/.test(raw) ? raw : '(none)';
}

/** Legacy iPay codes: ours, and what to do. */
const KNOWN: Record<string, [code: string, advice: string]> = {
  '1': ['arca_duplicate_order', 'this orderNumber is already registered; a new attempt gets a fresh one.'],
  '3': ['arca_unknown_currency', 'the gateway does not accept this currency for your merchant.'],
  '4': ['arca_missing_parameter', 'a required parameter is missing or empty.'],
  '5': [
    'arca_access_denied',
    'check userName and password (some banks issue one API user per currency; new EPG users must change their password in the merchant portal first).',
  ],
  '6': ['arca_order_not_found', 'the gateway does not know this order (wrong host or test/live mode?).'],
  '7': ['arca_system_error', 'the gateway had a system error; try again later.'],
};

/**
 * The gateway's errorMessage varies by bank and language, so it is neither matched nor shown: it
 * goes to the log (providerSaid); the code says what to do. A code that is not a number is not
 * repeated either.
 */
export function arcaError(method: string, body: ArcaBody | undefined): ProviderError {
  const raw = errorCodeOf(body);
  const code = shownCode(raw);
  const said = { said: text(body, 'errorMessage') ?? (raw !== undefined && code === '(none)' ? `errorCode ${raw}` : undefined) };
  const what = `${method}.do errorCode ${code}`;
  const known = KNOWN[code];
  if (known) return new ProviderError('arca', known[0], `${what}: ${known[1]}`, undefined, said);
  return new ProviderError('arca', 'arca_error', `${what}.`, { errorCode: code }, said);
}
