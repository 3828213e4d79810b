import { toApiError } from '../api-client.ts';
import { collectValues, focusInvalid } from '../dom.ts';
import type { SettingsForm } from './settings-context.ts';
import { readSettingsForm } from './settings-form.ts';

export async function loadSettings({ d, view }: SettingsForm): Promise<void> {
  view.set({ phase: 'loading', error: undefined, notice: undefined });
  try {
    const loaded = await d.api.getSettings();
    view.set({ phase: 'ready', loaded, values: undefined, errors: undefined, readOnly: loaded.isAdmin === false || d.isAdmin === false });
  } catch (e) {
    view.set({ phase: 'error', error: toApiError(e) });
  }
}

/** Checks the form first: mistakes are shown by their fields and nothing is sent until they are fixed. */
export async function saveSettings(form: SettingsForm): Promise<void> {
  const { d, view } = form;
  const { state } = view;
  if (state.phase !== 'ready' || !state.loaded || state.busy || state.readOnly) return;
  const values = collectValues(d.root);
  const parsed = readSettingsForm(values, state.loaded);
  if (!parsed.ok) {
    view.set({ values, errors: parsed.errors });
    view.notify({ kind: 'warn', msg: { key: 'setup.fix_errors' } });
    focusInvalid(d.root);
    return;
  }
  view.set({ values, errors: undefined, busy: true, notice: undefined });
  try {
    const loaded = await d.api.putSettings(parsed.body);
    form.dirty = false;
    view.set({ loaded, values: undefined, busy: false });
    view.notify({ kind: 'ok', msg: { key: 'setup.saved' } });
  } catch (e) {
    view.set({ busy: false });
    view.notify({ kind: 'error', error: toApiError(e) });
  }
}
