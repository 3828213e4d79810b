import type { Api } from '../api-client.ts';
import type { T } from '../i18n.ts';
import type { View } from '../mount-view.ts';
import type { PanelState } from './panel-state.ts';

export interface PanelDeps {
  api: Api;
  t: T;
  leadId: number;
  locale: string;
  serverUrl: string;
  root: HTMLElement;
  copy: (text: string) => Promise<boolean>;
}

/** What every panel handler works with: the deps the panel was mounted with, and its view. */
export interface Panel {
  d: PanelDeps;
  view: View<PanelState>;
}
