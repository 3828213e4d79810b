import type { T, Vars } from './i18n.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Everything that reaches innerHTML goes through here: descriptions, references and error messages
 * come from managers, customers and providers, and a lead card is a shared page.
 */
export function esc(value: unknown): string {
  return String(value == null ? '' : value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A translator whose output is already escaped, for the common `esc(t(key))`. */
export const escT =
  (t: T) =>
  (key: string, vars?: Vars): string =>
    esc(t(key, vars));

/**
 * `h('div', 'alert warn', inner)` → `<div class="drl-alert drl-warn">inner</div>`: every class of
 * ours carries the ap- prefix (style.css is scoped by it). `inner` and `attrs` must already be escaped.
 */
export const h = (tag: string, cls: string, inner = '', attrs = ''): string =>
  `<${tag}${cls ? ` class="${cls.replace(/\S+/g, 'drl-$&')}"` : ''}${attrs}>${inner}</${tag}>`;

/**
 * amoCRM's own button look (button-input, plus e.g. ' button-input_blue'), with our data-action for
 * the delegated click handler. `label` must already be escaped.
 */
export const button = (action: string, label: string, disabled: boolean, cls = '', id = '', attrs = ''): string =>
  `<button type="button" class="button-input${cls}" data-action="${action}"${id ? ` data-id="${esc(id)}"` : ''}${attrs}${disabled ? ' disabled' : ''}>${label}</button>`;
