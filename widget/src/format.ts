import { formatMoney, isCurrency } from '../../shared/money.ts';

export function money(minor: number, currency: string): string {
  return isCurrency(currency) ? formatMoney(minor, currency) : `${minor} ${currency}`;
}

/** In amoCRM's interface language; an unparsable timestamp is shown as it came rather than as "Invalid Date". */
export function dateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return d.toLocaleString();
  }
}
