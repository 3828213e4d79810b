import { esc, h } from './html.ts';

let seq = 0;

export interface FieldOptions {
  /** Marked with an asterisk (hidden from screen readers, which hear aria-required instead). */
  required?: boolean;
  /** One line under the field (already escaped; may hold a link). */
  help?: string;
}

/**
 * A labelled control with its help and error lines inside one block, so a grid never separates an
 * error from its input. The control is tied to both by aria-describedby; an error also flags it
 * aria-invalid. `label`, `error` and `help` must already be escaped.
 */
export function field(label: string, control: string, error: string, o: FieldOptions = {}): string {
  const id = `drl-f${++seq}`;
  const described = [o.help ? `${id}h` : '', error ? `${id}e` : ''].filter(Boolean).join(' ');
  const attrs = `${error ? ' aria-invalid="true"' : ''}${described ? ` aria-describedby="${described}"` : ''}${o.required ? ' aria-required="true"' : ''}`;
  return h(
    'div',
    'field',
    `<label><span class="drl-label">${label}${o.required ? '<span class="drl-req" aria-hidden="true"> *</span>' : ''}</span>${control.replace(/^<\w+/, `$&${attrs}`)}</label>` +
      (o.help ? h('div', 'help', o.help, ` id="${id}h"`) : '') +
      (error ? h('div', 'error', error, ` id="${id}e"`) : ''),
  );
}

/** A single-line text input bound by data-name (see dom.ts for why never `name`). */
export function textInput(name: string, value: unknown, mode = 'text', attrs = ''): string {
  return `<input type="text" data-name="${esc(name)}" inputmode="${mode}" autocomplete="off" value="${esc(typeof value === 'string' ? value : '')}"${attrs}>`;
}

export function checkbox(name: string, checked: unknown, label: string, attrs = ''): string {
  return h('label', 'check', `<input type="checkbox" data-name="${esc(name)}"${checked === true ? ' checked' : ''}${attrs}> ${label}`);
}

/** `<option>`s with `selected` on the current value; labels are escaped here. */
export function options(values: readonly string[], selected: unknown, label = (v: string) => v): string {
  return values.map((v) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label(v))}</option>`).join('');
}
