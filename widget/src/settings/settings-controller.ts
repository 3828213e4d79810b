import { actionTarget, collectValues } from '../dom.ts';
import { mountView } from '../mount-view.ts';
import { renderSettings, type SettingsState } from './render-settings.ts';
import type { SettingsDeps, SettingsForm } from './settings-context.ts';
import { loadSettings, saveSettings } from './settings-requests.ts';

export type { SettingsDeps };

export interface MountedSettings {
  /** amoCRM's own Save button fires onSave: unsaved payment settings are saved with it. */
  saveIfDirty(): void;
  destroy(): void;
}

/** Mounts the payment settings form (in the widget-settings modal or the advanced settings page). */
export function mountSettings(d: SettingsDeps): MountedSettings {
  const initial: SettingsState = { phase: d.installed ? 'loading' : 'install_first', serverUrl: d.serverUrl, busy: false, readOnly: false };
  const view = mountView(d.root, d.t, d.serverUrl, initial, renderSettings);
  const form: SettingsForm = { d, view, dirty: false };
  view.on('click', (ev) => {
    const action = actionTarget(ev, d.root)?.getAttribute('data-action');
    if (action === 'save') void saveSettings(form);
    else if (action === 'reload') void loadSettings(form);
  });
  const onChange = (ev: Event) => {
    form.dirty = true;
    const name = (ev.target as HTMLElement | null)?.getAttribute?.('data-name') ?? '';
    // A new pipeline changes which stages can be picked: re-render with what is typed so far.
    if (ev.type === 'change' && /^map\..+\.pipelineId$/.test(name) && view.state.loaded?.pipelines?.length) {
      view.set({ values: collectValues(d.root) });
    }
  };
  view.on('change', onChange);
  view.on('input', onChange);
  if (d.installed) void loadSettings(form);
  else view.set({});
  return {
    saveIfDirty() {
      if (form.dirty) void saveSettings(form);
    },
    destroy: view.destroy,
  };
}
