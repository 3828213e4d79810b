import { CRM_STATUSES } from '../../../shared/crm-status.ts';
import { CURRENCY_CODES } from '../../../shared/money.ts';
import type { ApiError } from '../api-client.ts';
import type { FormValues } from '../dom.ts';
import { describeError } from '../error-text.ts';
import { checkbox, field, options, textInput } from '../form-markup.ts';
import { button, esc, escT, h } from '../html.ts';
import type { T } from '../i18n.ts';
import type { Notice } from '../notice.ts';
import { renderBadge } from '../panel/badge.ts';
import { renderLoadError } from '../render-load-error.ts';
import { renderNotice } from '../render-notice.ts';
import { PROVIDER_FIELDS } from './provider-fields.ts';
import { initialValues } from './settings-form.ts';
import type { PipelineView, ProviderSettingsView, SettingsView } from './settings-types.ts';

export interface SettingsState {
  /** install_first: amoCRM has not installed the widget, so there is no account on the server to ask. */
  phase: 'install_first' | 'loading' | 'error' | 'ready';
  serverUrl: string;
  loaded?: SettingsView;
  /** What the admin typed, kept across a failed save or a pipeline change. */
  values?: FormValues;
  /** i18n keys by input name. */
  errors?: Record<string, string>;
  error?: ApiError;
  notice?: Notice;
  busy: boolean;
  readOnly: boolean;
}

/** The payment settings (widget-settings modal and the advanced settings page): a pure function of state. */
export function renderSettings(s: SettingsState, t: T): string {
  return h(
    'div',
    'setup-inner',
    `<h4>${esc(t('setup.title'))}</h4>` + renderBody(s, t) + h('div', 'notice-slot', renderNotice(s.notice, t, s.serverUrl)),
  );
}

interface Ctx {
  v: FormValues;
  errors: Record<string, string>;
  /** ' disabled' when read-only or saving, else ''. */
  dis: string;
  t: T;
}

function renderBody(s: SettingsState, t: T): string {
  const te = escT(t);
  if (s.phase === 'install_first') return h('div', 'alert warn', te('setup.install_first'));
  if (s.phase === 'loading') return h('div', 'muted', te('setup.loading'));
  const loaded = s.loaded;
  if (s.phase === 'error' || !loaded) {
    const e =
      s.error && s.error.status === 403
        ? { text: t('setup.admins_only') }
        : describeError(s.error || { status: 200, code: 'bad_response', message: '' }, t, s.serverUrl);
    return renderLoadError(e.text, e.hint, t);
  }
  const c: Ctx = { v: s.values || initialValues(loaded), errors: s.errors || {}, dis: s.readOnly || s.busy ? ' disabled' : '', t };
  return (
    field(te('setup.connection'), `<strong>${te(`setup.state_${loaded.accountState || 'active'}`)}</strong>`, '') +
    (s.readOnly ? h('div', 'alert warn', te('setup.read_only')) : '') +
    `<h5>${te('setup.providers')}</h5>` +
    Object.keys(PROVIDER_FIELDS)
      .map((name) => renderProvider(name, loaded.providers[name] || {}, c))
      .join('') +
    `<h5>${te('setup.general')}</h5>` +
    h(
      'div',
      'grid',
      field(
        te('setup.default_currency'),
        `<select data-name="defaultCurrency"${c.dis}>${options(CURRENCY_CODES, c.v.defaultCurrency)}</select>`,
        '',
      ) + input('linkTtlHours', te('setup.link_ttl'), c, 'numeric'),
    ) +
    `<h5>${te('setup.stage_mapping')}</h5>` +
    renderStageMapping(loaded.pipelines, c) +
    (s.readOnly ? '' : h('div', 'actions', button('save', te('setup.save'), s.busy, ' button-input_blue')))
  );
}

const errorOf = (name: string, c: Ctx) => (c.errors[name] ? esc(c.t(c.errors[name])) : '');

function input(name: string, label: string, c: Ctx, mode = 'text'): string {
  return field(label, textInput(name, c.v[name], mode, c.dis), errorOf(name, c));
}

function renderProvider(name: string, prev: ProviderSettingsView, c: Ctx): string {
  const te = escT(c.t);
  const base = `p.${name}`;
  const fields = PROVIDER_FIELDS[name]
    .map((f) => {
      const n = `${base}.${f.key}`;
      const label = te(`setup.field.${f.key}`);
      if (f.kind === 'bool') return checkbox(n, c.v[n], label, c.dis);
      if (f.kind === 'choice') {
        const opts = options(['', ...(f.choices ?? [])], c.v[n] ?? '', (v) => c.t(`setup.choice.${f.key}.${v || 'default'}`));
        return field(label, `<select data-name="${n}"${c.dis}>${opts}</select>`, errorOf(n, c));
      }
      if (f.kind !== 'secret') return input(n, label, c, f.kind === 'int' ? 'numeric' : f.kind);
      const stored = prev[f.key];
      const hint = typeof stored === 'string' && stored ? te('setup.secret_stored', { mask: stored }) : te('setup.secret_empty');
      // new-password: stops the browser from autofilling the manager's amoCRM password here.
      return field(
        label,
        `<input type="password" autocomplete="new-password" data-name="${n}" value="${esc(c.v[n])}" placeholder="${hint}"${c.dis}>`,
        errorOf(n, c),
      );
    })
    .join('');
  return h(
    'fieldset',
    'provider',
    `<legend><strong>${te(`providers.${name}`)}</strong></legend>` +
      checkbox(`${base}.enabled`, c.v[`${base}.enabled`], te('setup.enabled'), c.dis) +
      h(
        'label',
        'check',
        `${te('setup.mode')} <select data-name="${base}.mode"${c.dis}>${options(['test', 'live'], c.v[`${base}.mode`], (m) => c.t(`setup.mode_${m}`))}</select>`,
      ) +
      h('div', 'grid', fields),
  );
}

/** With the account's pipelines: pick by name. Without: type the ids, which is what amoCRM's API needs anyway. */
function renderStageMapping(pipelines: PipelineView[] | undefined, c: Ctx): string {
  const te = escT(c.t);
  const rows = CRM_STATUSES.map((status) => {
    const pn = `map.${status}.pipelineId`;
    const sn = `map.${status}.statusId`;
    if (!pipelines || !pipelines.length) {
      return `<tr><td>${renderBadge(status, c.t)}</td><td>${input(pn, te('setup.pipeline_id'), c, 'numeric')}</td><td>${input(sn, te('setup.stage_id'), c, 'numeric')}</td></tr>`;
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
    return `<tr><td>${renderBadge(status, c.t)}</td><td>${field(
      te('setup.pipeline'),
      `<select data-name="${pn}"${c.dis}>${options(ids(pipelines, pid), pid, name(pipelines, c.t('setup.not_moved')))}</select>`,
      errorOf(pn, c),
    )}</td><td>${field(te('setup.stage'), `<select data-name="${sn}"${c.dis}>${options(ids(statuses, sid), sid, name(statuses, '—'))}</select>`, errorOf(sn, c))}</td></tr>`;
  }).join('');
  return h('table', 'table mapping', `<tbody>${rows}</tbody>`);
}
