import type { ApiError } from './api-client.ts';
import type { Vars } from './i18n.ts';

/** A message to localize at render time, so state stays language-free and the renderers stay pure. */
export interface Msg {
  key: string;
  vars?: Vars;
}

/** The one-line feedback after an action; ok/warn fade out, errors stay until the next action. */
export type Notice = { kind: 'ok' | 'warn'; msg: Msg } | { kind: 'error'; error: ApiError };
