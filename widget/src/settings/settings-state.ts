import type { ApiError } from '../api-client.ts';
import type { FormValues } from '../dom.ts';
import type { Notice } from '../notice.ts';
import type { DiagnosticCheck, ProbeResult, SettingsView } from './settings-types.ts';

export interface SettingsState {
  /** install_first: amoCRM has not installed the widget, so there is no account on the server to ask. */
  phase: 'install_first' | 'loading' | 'error' | 'ready';
  serverUrl: string;
  loaded?: SettingsView;
  /** What the admin typed, kept across a failed save or a pipeline change. */
  values?: FormValues;
  /** i18n keys by input name. */
  errors?: Record<string, string>;
  error?: ApiError;
  notice?: Notice;
  busy: boolean;
  readOnly: boolean;
  /** Per provider: a connection test in flight, or its answer. */
  tests?: Record<string, { pending: true } | { result: ProbeResult } | { error: ApiError }>;
  /** The server has no connection test (404): the buttons go away. */
  noTest?: boolean;
  /** The server's checks, once read; undefined while unread or when the server has none. */
  diagnostics?: DiagnosticCheck[];
}
