/**
 * Money is an integer count of minor units plus an ISO 4217 code, never a float.
 * Conversions to the decimal strings providers want are done on strings, so no
 * binary rounding can change an amount on its way to a bank.
 */
export const CURRENCIES = {
  AMD: { numeric: '051', exponent: 2 },
  USD: { numeric: '840', exponent: 2 },
  EUR: { numeric: '978', exponent: 2 },
  RUB: { numeric: '643', exponent: 2 },
} as const;

export type Currency = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as Currency[];

/** Upper bound for any single amount: 10^12 minor units. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CURRENCIES, value);
}

export function isValidAmountMinor(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= MAX_AMOUNT_MINOR;
}

export function currencyFromNumeric(numeric: string): Currency | undefined {
  const padded = numeric.padStart(3, '0');
  return CURRENCY_CODES.find((code) => CURRENCIES[code].numeric === padded);
}

/** 123456 AMD minor → "1234.56"; trailing zeros kept when keepZeros, else trimmed ("1234.5", "1234"). */
export function minorToMajorString(minor: number, currency: Currency, opts: { trim?: boolean } = {}): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${minor} is not an integer`);
  const exp = CURRENCIES[currency].exponent;
  const negative = minor < 0;
  const digits = Math.abs(minor)
    .toString()
    .padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp);
  let frac = digits.slice(digits.length - exp);
  if (opts.trim) frac = frac.replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * "1900", "1900.0", "1900.00", 1900 → 190000 (for exponent 2). Returns undefined for anything that
 * is not a plain non-negative decimal or has more fractional digits than the currency allows
 * (a non-zero third decimal would silently lose money).
 */
export function majorToMinor(value: string | number, currency: Currency): number | undefined {
  const exp = CURRENCIES[currency].exponent;
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  if (text === undefined) return undefined;
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, whole, fracRaw = ''] = match;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > exp) return undefined;
  const minor = Number(whole + frac.padEnd(exp, '0'));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

function numberToPlainString(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  // toString of a JSON number such as 10.5 is exact enough for 2 decimals; reject exponent forms.
  const text = value.toString();
  return /e/i.test(text) ? undefined : text;
}

/** No-break space: an amount never wraps between its digit groups or away from its currency. */
const NBSP = '\u00a0';

/** 4500000 AMD minor → "45 000 AMD", 190050 → "1 900.5 AMD": for people (pages, panel, notes), not for APIs. */
export function formatMoney(minor: number, currency: Currency): string {
  const [whole, frac] = minorToMajorString(minor, currency, { trim: true }).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${grouped}${frac ? `.${frac}` : ''}${NBSP}${currency}`;
}
