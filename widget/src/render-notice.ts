import { describeError } from './error-text.ts';
import { esc, h } from './html.ts';
import type { T } from './i18n.ts';
import type { Notice } from './notice.ts';

export function renderNotice(notice: Notice | undefined, t: T, serverUrl: string): string {
  if (!notice) return '';
  if (notice.kind !== 'error') return h('div', `notice ${notice.kind}`, esc(t(notice.msg.key, notice.msg.vars)), ' role="status"');
  const e = describeError(notice.error, t, serverUrl);
  return h('div', 'notice bad', esc(e.text) + (e.hint ? h('div', 'hint', esc(e.hint)) : ''), ' role="alert"');
}
