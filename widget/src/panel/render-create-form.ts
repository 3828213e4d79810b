import type { LeadPaymentsResponse } from '../../../shared/api.ts';
import { CURRENCY_CODES } from '../../../shared/money.ts';
import type { FormValues } from '../dom.ts';
import { checkbox, field, options, textInput } from '../form-markup.ts';
import { button, esc, escT, h } from '../html.ts';
import type { T } from '../i18n.ts';
import type { Msg } from '../notice.ts';
import { MAX_DESCRIPTION } from './create-form.ts';

export interface CreateFormView {
  data: LeadPaymentsResponse;
  values: FormValues;
  errors?: Record<string, Msg>;
  busy: boolean;
  /** False on an empty lead, where the form is the whole panel and there is nothing to go back to. */
  closable: boolean;
}

export function renderCreateForm(v: CreateFormView, t: T): string {
  const te = escT(t);
  const { values } = v;
  const err = (name: string) => {
    const m = v.errors && v.errors[name];
    return m ? te(m.key, m.vars) : '';
  };
  const enabled = v.data.context && v.data.context.enabledProviders;
  const none = !!enabled && enabled.length === 0;
  const providers = enabled
    ? h(
        'div',
        'field',
        h('span', '', te('create.providers')) +
          enabled.map((p) => checkbox(`provider.${p}`, values[`provider.${p}`], te(`providers.${p}`))).join(''),
      ) + (err('providers') ? h('div', 'error', err('providers')) : '')
    : '';
  return h(
    'div',
    'create',
    `<h4>${te('create.title')}</h4>` +
      (none ? h('div', 'alert warn', te('create.no_providers')) : '') +
      field(te('create.amount'), textInput('amount', values.amount, 'decimal'), err('amount')) +
      field(te('create.currency'), `<select data-name="currency">${options(CURRENCY_CODES, values.currency)}</select>`, '') +
      field(
        te('create.description'),
        `<textarea data-name="description" rows="2" maxlength="${MAX_DESCRIPTION}">${esc(values.description)}</textarea>`,
        err('description'),
      ) +
      providers +
      field(te('create.expires_hours'), textInput('hours', values.hours, 'numeric'), err('hours')) +
      h(
        'div',
        'actions',
        button('create-submit', te('create.submit'), v.busy || none, ' button-input_blue', '', ' data-submit') +
          (v.closable ? button('create-close', te('create.close'), false) : ''),
      ),
    ' data-form="create"',
  );
}
