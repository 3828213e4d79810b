import type { Api, Call } from '../api-client.ts';
import type { ReachModule } from '../reach/entry.ts';
import type { T } from '../i18n.ts';
import type { View } from '../mount-view.ts';
import type { LiveEnv } from './live-env.ts';
import type { PanelState } from './panel-state.ts';

export interface PanelDeps {
  api: Api;
  t: T;
  leadId: number;
  locale: string;
  serverUrl: string;
  root: HTMLElement;
  copy: (text: string) => Promise<boolean>;
  /** The raw caller and reach.js ("Send or show QR"), loaded on its first use. */
  call?: Call;
  reach?: () => Promise<ReachModule>;
  /** Timers, page visibility and focus for keeping the panel fresh (the browser's by default). */
  env?: LiveEnv;
  /** amoCRM's own popup when a payment lands while the card is open; false when the runtime has none. */
  announce?: (header: string, text: string) => boolean;
}

/** What every panel handler works with: the deps the panel was mounted with, its view, and the live refresh. */
export interface Panel {
  d: PanelDeps;
  view: View<PanelState>;
  /** After a load or an action: look again soon (backing off) while a shown payment can still change. */
  kick(): void;
}
