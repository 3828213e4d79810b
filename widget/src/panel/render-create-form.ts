import type { LeadPaymentsResponse, PaymentView } from '../../../shared/api.ts';
import { CURRENCY_CODES } from '../../../shared/money.ts';
import type { FormValues } from '../dom.ts';
import { money } from '../format.ts';
import { checkbox, field, options, textInput } from '../form-markup.ts';
import { button, esc, escT, h } from '../html.ts';
import type { T } from '../i18n.ts';
import type { Msg } from '../notice.ts';
import { MAX_DESCRIPTION, providersFor } from './create-form.ts';

export interface CreateFormView {
  data: LeadPaymentsResponse;
  values: FormValues;
  errors?: Record<string, Msg>;
  busy: boolean;
  /** False on an empty lead, where the form is the whole panel and there is nothing to go back to. */
  closable: boolean;
  /** Links of this lead the customer can still pay: the form offers to cancel them. */
  open: PaymentView[];
}

/**
 * The create form. Payment methods are those enabled that take the chosen currency (the others are
 * named with the currencies they take); another open link for the lead gets a ticked "cancel it".
 */
export function renderCreateForm(v: CreateFormView, t: T): string {
  const te = escT(t);
  const { values } = v;
  const err = (name: string) => {
    const m = v.errors && v.errors[name];
    return m ? te(m.key, m.vars) : '';
  };
  const enabled = v.data.context && v.data.context.enabledProviders;
  const none = !!enabled && enabled.length === 0;
  const fits = enabled ? providersFor(enabled, v.data.context?.providerCurrencies, String(values.currency)) : [];
  const open = v.open.length
    ? checkbox(
        'replace',
        values.replace,
        v.open.length === 1
          ? te('create.replace_one', { amount: money(v.open[0].amountMinor, v.open[0].currency) })
          : te('create.replace_many', { count: v.open.length }),
      )
    : '';
  return h(
    'div',
    'create',
    `<h4>${te('create.title')}</h4>` +
      (none ? h('div', 'alert warn', te('create.no_providers')) : '') +
      field(te('create.amount'), textInput('amount', values.amount, 'decimal'), err('amount'), { required: true }) +
      field(te('create.currency'), `<select data-name="currency">${options(CURRENCY_CODES, values.currency)}</select>`, '') +
      field(
        te('create.description'),
        `<textarea data-name="description" rows="2" maxlength="${MAX_DESCRIPTION}">${esc(values.description)}</textarea>`,
        err('description'),
      ) +
      renderMethods(v, fits, err('providers'), t) +
      field(te('create.expires_hours'), textInput('hours', values.hours, 'numeric'), err('hours'), { required: true }) +
      open +
      h(
        'div',
        'actions',
        button(
          'create-submit',
          te('create.submit'),
          v.busy || none || (!!enabled && fits.length === 0),
          ' button-input_blue',
          '',
          ' data-submit',
        ) + (v.closable ? button('create-close', te('create.close'), false) : ''),
      ),
    ' data-form="create"',
  );
}

/** The payment methods that take the chosen currency, and a line for each enabled one that does not. */
function renderMethods(v: CreateFormView, fits: string[], error: string, t: T): string {
  const te = escT(t);
  const ctx = v.data.context;
  const enabled = ctx && ctx.enabledProviders;
  if (!enabled) return '';
  const others = enabled.filter((p) => !fits.includes(p));
  return h(
    'fieldset',
    'field methods',
    `<legend class="drl-label">${te('create.providers')}</legend>` +
      fits.map((p) => checkbox(`provider.${p}`, v.values[`provider.${p}`], te(`providers.${p}`))).join('') +
      others
        .map((p) =>
          h(
            'div',
            'muted small',
            te('create.other_currency', { provider: t(`providers.${p}`), currencies: (ctx.providerCurrencies?.[p] ?? []).join(', ') }),
          ),
        )
        .join('') +
      (enabled.length > 0 && fits.length === 0
        ? h('div', 'error', te('create.no_method_for_currency', { currency: String(v.values.currency) }))
        : '') +
      (error ? h('div', 'error', error) : ''),
  );
}
