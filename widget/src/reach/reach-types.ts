import type { PaymentView } from '../../../shared/api.ts';
import type { Call } from '../api-client.ts';
import type { T } from '../i18n.ts';

/** What the panel hands the send box: its server caller, words, clipboard, and the panel's own action runner. */
export interface SendBoxDeps {
  call: Call;
  serverUrl: string;
  t: T;
  copy: (text: string) => Promise<boolean>;
  /** Runs "send through the Salesbot" as a panel action (its busy state, its notice, its repaint). */
  sendViaBot: (payment: PaymentView) => void;
}

/** What the lead list's mass action hands the bulk view. */
export interface BulkDeps {
  call: Call;
  serverUrl: string;
  t: T;
  leadIds: number[];
  /** Timers (the browser's by default), so tests can run the progress without waiting. */
  wait?: (ms: number) => Promise<void>;
}
