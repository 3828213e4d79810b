import { collectValues, enterSubmits } from '../dom.ts';
import { mountView } from '../mount-view.ts';
import { browserEnv } from './live-env.ts';
import { startLive } from './live.ts';
import type { Panel, PanelDeps } from './panel-context.ts';
import { onPanelClick } from './panel-clicks.ts';
import { loadPanel } from './panel-requests.ts';
import { initialPanelState, type PanelState } from './panel-state.ts';
import { renderPanel } from './render-panel.ts';

export type { PanelDeps };

export interface Mounted {
  destroy(): void;
}

/**
 * Mounts one lead-card panel (docs/architecture.md, "2 Create a link"): its view, the single GET
 * when the card opens, the live refresh while a payment can still change, and delegated handlers on
 * the root. Rendering is renderPanel's job; what each button does is in panel-clicks.ts.
 */
export function mountPanel(d: PanelDeps): Mounted {
  const { root } = d;
  // Keep what the manager is typing: a repaint after an action elsewhere must not wipe the form.
  const keepDraft = (): Partial<PanelState> => {
    const form = root.querySelector('[data-form="create"]');
    return form ? { draft: collectValues(form) } : {};
  };
  const view = mountView(root, d.t, d.serverUrl, initialPanelState(d.locale, d.serverUrl), renderPanel, keepDraft);
  const panel: Panel = { d, view, kick: () => live.kick() };
  const live = startLive(panel, d.env ?? browserEnv());
  view.on('click', (ev) => onPanelClick(panel, ev));
  // Another currency offers other payment methods: repaint the form with what is typed.
  view.on('change', (ev) => {
    if ((ev.target as HTMLElement | null)?.getAttribute?.('data-name') === 'currency') view.set({});
  });
  view.on('keydown', (ev) => {
    const button = enterSubmits(ev, root);
    if (!button) return;
    ev.preventDefault();
    button.click();
  });
  void loadPanel(panel);
  return {
    destroy() {
      live.stop();
      view.destroy();
    },
  };
}
