import type { PaymentView } from '../../../shared/api.ts';
import type { Panel } from './panel-context.ts';
import { runAction } from './panel-requests.ts';

/**
 * "Send or QR" on a payment: reach.js (loaded only now) toggles its box under the panel. Sending
 * through the Salesbot runs as a panel action, so its answer repaints the payment with the send.
 */
export function openReach(panel: Panel, p: PaymentView): void {
  const { d } = panel;
  if (!d.reach || !d.call) return;
  const deps = {
    call: d.call,
    serverUrl: d.serverUrl,
    t: d.t,
    copy: d.copy,
    sendViaBot: (x: PaymentView) => void runAction(panel, () => d.api.send(x.id), 'panel.sent_by_bot'),
  };
  d.reach().then(
    (m) => m.toggleSendBox(d.root, p, deps),
    () => panel.view.notify({ kind: 'warn', msg: { key: 'setup.load_failed' } }),
  );
}
