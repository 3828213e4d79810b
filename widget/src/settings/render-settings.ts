import { CURRENCY_CODES } from '../../../shared/money.ts';
import { describeError } from '../error-text.ts';
import { field, options, textInput } from '../form-markup.ts';
import { button, esc, escT, h } from '../html.ts';
import type { T } from '../i18n.ts';
import { renderLoadError } from '../render-load-error.ts';
import { renderNotice } from '../render-notice.ts';
import { renderDiagnostics } from './render-diagnostics.ts';
import { renderProvider } from './render-provider.ts';
import { renderStageMapping } from './render-stage-mapping.ts';
import { PROVIDER_NAMES } from './provider-fields.ts';
import { input, errorOf, type Ctx } from './settings-ctx.ts';
import { initialValues, LANGUAGES, MAX_MERCHANT_NAME } from './settings-form.ts';
import type { SettingsState } from './settings-state.ts';

export type { SettingsState };

/** The payment settings (widget-settings modal and the advanced settings page): a pure function of state. */
export function renderSettings(s: SettingsState, t: T): string {
  return h(
    'div',
    'setup-inner',
    `<h4>${esc(t('setup.title'))}</h4>` +
      renderBody(s, t) +
      h('div', 'notice-slot', renderNotice(s.notice, t, s.serverUrl), ' aria-live="polite"'),
  );
}

function renderBody(s: SettingsState, t: T): string {
  const te = escT(t);
  if (s.phase === 'install_first') return h('div', 'alert warn', te('setup.install_first'));
  if (s.phase === 'loading') return h('div', 'muted', te('setup.loading'));
  const loaded = s.loaded;
  // A manager is not an admin: that is information, not an error to retry.
  if (s.phase === 'error' && s.error?.status === 403) return h('div', 'alert', te('setup.admins_only'), ' role="status"');
  if (s.phase === 'error' || !loaded) {
    const e = describeError(s.error || { status: 200, code: 'bad_response', message: '' }, t, s.serverUrl);
    return renderLoadError(e.text, e.hint, t);
  }
  const c: Ctx = { v: s.values || initialValues(loaded), errors: s.errors || {}, dis: s.readOnly || s.busy ? ' disabled' : '', t, s };
  return (
    h('p', '', `${te('setup.connection')}: <strong>${te(`setup.state_${loaded.accountState || 'active'}`)}</strong>`) +
    (s.readOnly ? h('div', 'alert warn', te('setup.read_only')) : '') +
    h('p', 'muted small', te('setup.required_note')) +
    `<h5>${te('setup.providers')}</h5>` +
    PROVIDER_NAMES.map((name) => renderProvider(name, loaded.providers[name] || {}, loaded.providerUrls?.[name], c)).join('') +
    renderGeneral(c) +
    `<h5>${te('setup.stage_mapping')}</h5>` +
    renderStageMapping(loaded.pipelines, c) +
    (s.readOnly ? '' : h('div', 'actions', button('save', te('setup.save'), s.busy, ' button-input_blue'))) +
    renderDiagnostics(s.diagnostics, t)
  );
}

/** Currency, link lifetime, the merchant name the pay page shows, and the language dramlink writes into amoCRM in. */
function renderGeneral(c: Ctx): string {
  const te = escT(c.t);
  const languages = options(['', ...LANGUAGES], c.v.language ?? '', (l) => c.t(`setup.language_${l || 'auto'}`));
  return (
    `<h5>${te('setup.general')}</h5>` +
    h(
      'div',
      'grid',
      field(
        te('setup.default_currency'),
        `<select data-name="defaultCurrency"${c.dis}>${options(CURRENCY_CODES, c.v.defaultCurrency)}</select>`,
        '',
      ) +
        input('linkTtlHours', te('setup.link_ttl'), c, 'numeric', { required: true }) +
        field(
          te('setup.merchant_name'),
          textInput('merchantName', c.v.merchantName, 'text', `${c.dis} maxlength="${MAX_MERCHANT_NAME}"`),
          errorOf('merchantName', c),
          { help: te('setup.merchant_name_help') },
        ) +
        field(te('setup.language'), `<select data-name="language"${c.dis}>${languages}</select>`, '', { help: te('setup.language_help') }) +
        input('salesbotId', te('setup.salesbot_id'), c, 'numeric', { help: te('setup.salesbot_id_help') }),
    )
  );
}
