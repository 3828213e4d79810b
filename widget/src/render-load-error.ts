import { button, esc, escT, h } from './html.ts';
import type { T } from './i18n.ts';

/** A failed first load (panel or settings) with what to do: retry, or for a broken connection, the reconnect hint. */
export function renderLoadError(text: string, hint: string | undefined, t: T): string {
  return h(
    'div',
    'alert bad',
    h('div', '', esc(text)) +
      (hint ? h('div', 'hint', esc(hint)) : '') +
      h('div', 'actions', button('reload', escT(t)('panel.retry'), false)),
    ' role="alert"',
  );
}
