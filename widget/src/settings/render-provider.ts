import { describeError } from '../error-text.ts';
import { checkbox, field, options } from '../form-markup.ts';
import { button, esc, escT, h } from '../html.ts';
import { labelOr } from '../i18n.ts';
import { PROVIDER_DOCS, PROVIDER_FIELDS } from './provider-fields.ts';
import { errorOf, input, type Ctx } from './settings-ctx.ts';
import type { ProviderSettingsView, ProviderUrls } from './settings-types.ts';

/**
 * One provider: what it is (with its merchant docs), enabled and mode, its fields (required ones
 * marked), the addresses to give it with Copy buttons, and Test connection with its answer.
 */
export function renderProvider(name: string, prev: ProviderSettingsView, urls: ProviderUrls[string], c: Ctx): string {
  const te = escT(c.t);
  const base = `p.${name}`;
  const docs = PROVIDER_DOCS[name];
  const fields = PROVIDER_FIELDS[name]
    .map((f) => {
      const n = `${base}.${f.key}`;
      const label = te(`setup.field.${f.key}`);
      if (f.kind === 'bool') return checkbox(n, c.v[n], label, c.dis);
      if (f.kind === 'choice') {
        const opts = options(['', ...(f.choices ?? [])], c.v[n] ?? '', (v) => c.t(`setup.choice.${f.key}.${v || 'default'}`));
        return field(label, `<select data-name="${n}"${c.dis}>${opts}</select>`, errorOf(n, c));
      }
      const help = f.kind === 'url' ? { help: te('setup.url_help') } : {};
      if (f.kind !== 'secret') return input(n, label, c, f.kind === 'int' ? 'numeric' : 'text', { required: f.required, ...help });
      const stored = prev[f.key];
      const hint = typeof stored === 'string' && stored ? te('setup.secret_stored', { mask: stored }) : te('setup.secret_empty');
      // new-password: stops the browser from autofilling the manager's amoCRM password here.
      return field(
        label,
        `<input type="password" autocomplete="new-password" data-name="${n}" value="${esc(c.v[n])}" placeholder="${hint}"${c.dis}>`,
        errorOf(n, c),
        { required: f.required },
      );
    })
    .join('');
  return h(
    'fieldset',
    'provider',
    `<legend><strong>${te(`providers.${name}`)}</strong></legend>` +
      h(
        'p',
        'help',
        te(`setup.help.${name}`) +
          (docs ? ` <a href="${esc(docs)}" target="_blank" rel="noopener noreferrer">${te('setup.docs')}</a>` : ''),
      ) +
      checkbox(`${base}.enabled`, c.v[`${base}.enabled`], te('setup.enabled'), c.dis) +
      h(
        'label',
        'check',
        `${te('setup.mode')} <select data-name="${base}.mode"${c.dis}>${options(['test', 'live'], c.v[`${base}.mode`], (m) => c.t(`setup.mode_${m}`))}</select>`,
      ) +
      h('div', 'grid', fields) +
      renderUrls(name, urls, c) +
      renderTest(name, c),
  );
}

/** The addresses the admin gives the provider, read-only with a Copy button each. */
function renderUrls(name: string, urls: ProviderUrls[string], c: Ctx): string {
  const te = escT(c.t);
  const rows = Object.entries(urls ?? {})
    .filter(([, url]) => typeof url === 'string' && url)
    .map(([key, url]) => {
      const id = `drl-u-${name}-${key}`;
      return h(
        'div',
        'field',
        `<span class="drl-label" id="${id}">${te(`setup.urls.${key}`)}</span>` +
          h(
            'div',
            'linkrow',
            `<input type="text" readonly class="drl-linkinput" aria-labelledby="${id}" value="${esc(url)}">` +
              button('copy-url', te('setup.copy'), false, '', `${name}.${key}`),
          ),
      );
    })
    .join('');
  return rows ? h('div', 'urls', h('div', 'label', te('setup.give_provider')) + rows) : '';
}

/** Test connection and what the provider answered, in the admin's language (the server's words as a last resort). */
function renderTest(name: string, c: Ctx): string {
  if (c.s.noTest || c.s.readOnly || name === 'sandbox') return '';
  const te = escT(c.t);
  const state = c.s.tests?.[name];
  let answer = '';
  if (state && 'result' in state) {
    const { ok, code, message } = state.result;
    answer = h(
      'div',
      `test ${ok ? 'ok' : 'bad'}`,
      `<span aria-hidden="true">${ok ? '✓' : '✕'}</span> ${esc(labelOr(c.t, `setup.test.${code.replace(`${name}_`, 'provider_')}`, message || code))}`,
      ' role="status"',
    );
  } else if (state && 'error' in state) {
    answer = h('div', 'test bad', esc(describeError(state.error, c.t, c.s.serverUrl).text), ' role="status"');
  }
  return (
    h(
      'div',
      'actions',
      button(
        'test-provider',
        te(state && 'pending' in state ? 'setup.testing' : 'setup.test_connection'),
        !!(state && 'pending' in state) || c.s.busy,
        '',
        name,
      ),
    ) + answer
  );
}
