import { esc, h } from '../html.ts';
import type { T } from '../i18n.ts';

/** One of the seven CRM statuses as a coloured pill; the colours are style.css `.drl-b-<status>`. */
export function renderBadge(status: string, t: T): string {
  return h('span', `badge b-${esc(status)}`, esc(t(`status.${status}`)));
}
