import { CRM_STATUSES } from '../../../shared/crm-status.ts';
import { field, options } from '../form-markup.ts';
import { escT, h } from '../html.ts';
import { renderBadge } from '../panel/badge.ts';
import { errorOf, input, type Ctx } from './settings-ctx.ts';
import type { PipelineView } from './settings-types.ts';

/** With the account's pipelines: pick by name. Without: type the ids, which is what amoCRM's API needs anyway. */
export function renderStageMapping(pipelines: PipelineView[] | undefined, c: Ctx): string {
  const te = escT(c.t);
  const rows = CRM_STATUSES.map((status) => {
    const pn = `map.${status}.pipelineId`;
    const sn = `map.${status}.statusId`;
    if (!pipelines || !pipelines.length) {
      return `<tr><th scope="row">${renderBadge(status, c.t)}</th><td>${input(pn, te('setup.pipeline_id'), c, 'numeric')}</td><td>${input(sn, te('setup.stage_id'), c, 'numeric')}</td></tr>`;
    }
    const pid = String(c.v[pn] || '');
    const sid = String(c.v[sn] || '');
    const pipeline = pipelines.find((p) => String(p.id) === pid);
    const statuses = pipeline ? pipeline.statuses : [];
    // An id the account no longer lists stays selectable, so saving does not silently drop it.
    const ids = (list: { id: number }[], current: string) => {
      const out = ['', ...list.map((x) => String(x.id))];
      return current && !out.includes(current) ? [...out, current] : out;
    };
    const name = (list: { id: number; name: string }[], empty: string) => (id: string) =>
      id ? (list.find((x) => String(x.id) === id) || { name: `#${id}` }).name : empty;
    return `<tr><th scope="row">${renderBadge(status, c.t)}</th><td>${field(
      te('setup.pipeline'),
      `<select data-name="${pn}"${c.dis}>${options(ids(pipelines, pid), pid, name(pipelines, c.t('setup.not_moved')))}</select>`,
      errorOf(pn, c),
    )}</td><td>${field(te('setup.stage'), `<select data-name="${sn}"${c.dis}>${options(ids(statuses, sid), sid, name(statuses, '—'))}</select>`, errorOf(sn, c))}</td></tr>`;
  }).join('');
  return h('p', 'muted small', te('setup.expired_note')) + h('table', 'table mapping', `<tbody>${rows}</tbody>`);
}
