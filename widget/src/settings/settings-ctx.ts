import type { FormValues } from '../dom.ts';
import { field, textInput } from '../form-markup.ts';
import { esc } from '../html.ts';
import type { T } from '../i18n.ts';
import type { SettingsState } from './settings-state.ts';

/** What every part of the settings form renders with. */
export interface Ctx {
  v: FormValues;
  errors: Record<string, string>;
  /** ' disabled' when read-only or saving, else ''. */
  dis: string;
  t: T;
  s: SettingsState;
}

export const errorOf = (name: string, c: Ctx) => (c.errors[name] ? esc(c.t(c.errors[name])) : '');

export function input(name: string, label: string, c: Ctx, mode = 'text', o: { required?: boolean; help?: string } = {}): string {
  return field(label, textInput(name, c.v[name], mode, c.dis), errorOf(name, c), o);
}
