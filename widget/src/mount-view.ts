import type { T } from './i18n.ts';
import type { Notice } from './notice.ts';
import { renderNotice } from './render-notice.ts';

/** How long an ok/warn notice stays; errors stay until the next action. */
const NOTICE_MS = 4000;

export interface View<S> {
  /** Replaced (never mutated) on every change, so a renderer always sees one consistent state. */
  state: S;
  /** False once destroyed: late answers of requests in flight must not repaint a removed root. */
  alive: boolean;
  /** Merges the patch and repaints the whole root. */
  set(patch: Partial<S>): void;
  /** Repaints only the notice slot, so a message fading out cannot steal focus from a form. */
  notify(notice: Notice | undefined): void;
  /** Adds a listener on the root that destroy removes. */
  on<K extends keyof HTMLElementEventMap>(type: K, handler: (ev: HTMLElementEventMap[K]) => void): void;
  destroy(): void;
}

/**
 * One mounted piece of UI (the lead-card panel, the settings form): its state, a full repaint from
 * a pure render function, a notice slot, and listeners that go away with it. `keep` is read before
 * each patch, so a patch can still override what it keeps (the panel keeps the typed draft).
 */
export function mountView<S extends { notice?: Notice }>(
  root: HTMLElement,
  t: T,
  serverUrl: string,
  initial: S,
  render: (s: S, t: T) => string,
  keep: () => Partial<S> = () => ({}),
): View<S> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners: [string, EventListener][] = [];
  const view: View<S> = {
    state: initial,
    alive: true,
    set(patch) {
      if (!view.alive) return;
      view.state = Object.assign({}, view.state, keep(), patch);
      root.innerHTML = render(view.state, t);
    },
    notify(notice) {
      if (!view.alive) return;
      clearTimeout(timer);
      view.state = Object.assign({}, view.state, { notice });
      const slot = root.querySelector('.drl-notice-slot');
      if (slot) slot.innerHTML = renderNotice(notice, t, serverUrl);
      if (notice && notice.kind !== 'error') timer = setTimeout(() => view.notify(undefined), NOTICE_MS);
    },
    on(type, handler) {
      root.addEventListener(type, handler as EventListener);
      listeners.push([type, handler as EventListener]);
    },
    destroy() {
      view.alive = false;
      clearTimeout(timer);
      for (const [type, handler] of listeners) root.removeEventListener(type, handler);
      root.remove();
    },
  };
  return view;
}
