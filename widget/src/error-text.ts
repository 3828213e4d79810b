import type { ApiError } from './api-client.ts';
import type { T } from './i18n.ts';

export interface ErrorText {
  text: string;
  /** Set when the account's amoCRM connection must be renewed: the one error a manager cannot fix by retrying. */
  hint?: string;
}

export function isReconnectError(err: ApiError): boolean {
  return /not_connected|reconnect|disconnected/.test(err.code);
}

/** The server's message when it sent one (it knows what went wrong), else a localized line by status. */
export function describeError(err: ApiError, t: T, serverUrl: string): ErrorText {
  if (isReconnectError(err)) {
    const hint = t('errors.reconnect');
    return err.message ? { text: err.message, hint } : { text: hint };
  }
  if (err.code === 'network') return { text: t('errors.network', { url: serverUrl }) };
  if (err.code === 'bad_response') return { text: t('errors.bad_response') };
  if (err.status === 401) return { text: t('errors.unauthorized') };
  if (err.message) return { text: err.message };
  if (err.status === 403) return { text: t('errors.forbidden') };
  if (err.status === 404) return { text: t('errors.not_found') };
  return { text: t('errors.generic', { code: err.code }) };
}
