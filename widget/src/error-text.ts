import type { ApiError } from './api-client.ts';
import { labelOr, type T } from './i18n.ts';

export interface ErrorText {
  text: string;
  /** Set when the account's amoCRM connection must be renewed: the one error a manager cannot fix by retrying. */
  hint?: string;
}

export function isReconnectError(err: ApiError): boolean {
  return /not_connected|reconnect|disconnected/.test(err.code);
}

/** Provider errors carry the provider's name first: `telcell_unreachable`, `arca_timeout`… */
const PROVIDER_CODE = /^(ameriabank|arca|idram|telcell|sandbox)_(.+)$/;

/**
 * What went wrong, in the user's language: every code the server can answer a widget call with has
 * a line in i18n (`errors.code.*`, `errors.provider.*`; test/widget/error-codes.test.ts keeps them
 * complete), so no server English reaches the panel. Unknown codes fall back by HTTP status.
 */
export function describeError(err: ApiError, t: T, serverUrl: string): ErrorText {
  const byCode = labelOr(t, `errors.code.${err.code}`, '');
  if (isReconnectError(err)) return { text: byCode || t('errors.reconnect'), hint: byCode ? t('errors.reconnect') : undefined };
  if (err.code === 'network') return { text: t('errors.network', { url: serverUrl }) };
  if (byCode) return { text: byCode };
  const p = PROVIDER_CODE.exec(err.code);
  if (p) {
    const provider = labelOr(t, `providers.${p[1]}`, p[1]);
    return { text: labelOr(t, `errors.provider.${p[2]}`, '').replace('{provider}', provider) || t('errors.provider.other', { provider }) };
  }
  const s = err.status;
  const key =
    s === 401 ? 'unauthorized' : s === 403 ? 'forbidden' : s === 404 ? 'not_found' : s === 409 ? 'conflict' : s >= 500 ? 'server' : '';
  return { text: key ? t(`errors.${key}`) : t('errors.generic', { code: err.code }) };
}
