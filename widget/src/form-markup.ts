import { esc, h } from './html.ts';

/** A labelled control plus its error line (both escaped); an error also flags the control aria-invalid. */
export function field(label: string, control: string, error: string): string {
  return (
    h('label', 'field', h('span', '', label) + (error ? control.replace(/^<\w+/, '$& aria-invalid="true"') : control)) +
    (error ? h('div', 'error', error) : '')
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
