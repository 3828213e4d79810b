import type { PaymentView } from '../../../shared/api.ts';
import { openSendBox } from './send-box.ts';
import type { SendBoxDeps } from './reach-types.ts';

export const REACH_ROOT_ID = 'drl-reach-root';

let open: { id: string; close: () => void } | undefined;

/**
 * The send box of one payment, right under the panel, in a root of its own that the panel's
 * repaints leave alone; asked again for the same payment, it closes. The widget's destroy removes
 * the root (script.js knows only its id).
 */
export function toggleSendBox(panelRoot: HTMLElement, p: PaymentView, d: SendBoxDeps): void {
  const again = open?.id === p.id && document.getElementById(REACH_ROOT_ID);
  open?.close();
  open = undefined;
  document.getElementById(REACH_ROOT_ID)?.remove();
  if (again) return;
  const box = document.createElement('div');
  box.id = REACH_ROOT_ID;
  box.className = 'dramlink';
  panelRoot.insertAdjacentElement('afterend', box);
  open = { id: p.id, close: openSendBox(box, p, d) };
}
