import { actionTarget, collectValues } from '../dom.ts';
import { mountView } from '../mount-view.ts';
import { renderSettings, type SettingsState } from './render-settings.ts';
import type { SettingsDeps, SettingsForm } from './settings-context.ts';
import { loadSettings, saveSettings, testProvider } from './settings-requests.ts';

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
    const el = actionTarget(ev, d.root);
    const action = el?.getAttribute('data-action');
    const id = el?.getAttribute('data-id') ?? '';
    if (action === 'save') void saveSettings(form);
    else if (action === 'reload') void loadSettings(form);
    else if (action === 'test-provider') void testProvider(form, id);
    else if (action === 'copy-url') void copyUrl(form, id);
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

/** Copies one of the addresses to give a provider ("<provider>.<key>"). */
async function copyUrl({ d, view }: SettingsForm, id: string): Promise<void> {
  const [provider, key] = id.split('.');
  const url = (view.state.loaded?.providerUrls?.[provider] as Record<string, string> | undefined)?.[key];
  if (!url || !d.copy) return;
  const ok = await d.copy(url);
  view.notify(ok ? { kind: 'ok', msg: { key: 'setup.copied' } } : { kind: 'warn', msg: { key: 'panel.copy_failed' } });
}
