import { toApiError, type Api } from '../api-client.ts';
import { actionTarget, collectValues } from '../dom.ts';
import type { T } from '../i18n.ts';
import type { Notice } from '../notice.ts';
import { renderNotice } from '../render-notice.ts';
import { renderSettings, type SettingsState } from './render-settings.ts';
import { readSettingsForm } from './settings-form.ts';

export interface SettingsDeps {
  api: Api;
  t: T;
  root: HTMLElement;
  serverUrl: string;
  /** False before amoCRM has installed the widget: the server has no account yet, so nothing is requested. */
  installed: boolean;
  /** False when amoCRM says the user is not an admin: the form renders read-only. */
  isAdmin?: boolean;
}

export interface MountedSettings {
  /** amoCRM's own Save button fires onSave: unsaved payment settings are saved with it. */
  saveIfDirty(): void;
  destroy(): void;
}

const NOTICE_MS = 4000;

export function mountSettings(d: SettingsDeps): MountedSettings {
  const { api, t, root } = d;
  let state: SettingsState = { phase: d.installed ? 'loading' : 'install_first', serverUrl: d.serverUrl, busy: false, readOnly: false };
  let alive = true;
  let dirty = false;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;

  const set = (patch: Partial<SettingsState>) => {
    if (!alive) return;
    state = Object.assign({}, state, patch);
    root.innerHTML = renderSettings(state, t);
  };
  const notify = (notice: Notice | undefined) => {
    if (!alive) return;
    clearTimeout(noticeTimer);
    state = Object.assign({}, state, { notice });
    const slot = root.querySelector('.drl-notice-slot');
    if (slot) slot.innerHTML = renderNotice(notice, t, d.serverUrl);
    if (notice && notice.kind !== 'error') noticeTimer = setTimeout(() => notify(undefined), NOTICE_MS);
  };

  const load = async () => {
    set({ phase: 'loading', error: undefined, notice: undefined });
    try {
      const loaded = await api.getSettings();
      set({ phase: 'ready', loaded, values: undefined, errors: undefined, readOnly: loaded.isAdmin === false || d.isAdmin === false });
    } catch (e) {
      set({ phase: 'error', error: toApiError(e) });
    }
  };

  const save = async () => {
    if (state.phase !== 'ready' || !state.loaded || state.busy || state.readOnly) return;
    const values = collectValues(root);
    const parsed = readSettingsForm(values, state.loaded);
    if (!parsed.ok) {
      set({ values, errors: parsed.errors });
      notify({ kind: 'warn', msg: { key: 'setup.fix_errors' } });
      (root.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
      return;
    }
    set({ values, errors: undefined, busy: true, notice: undefined });
    try {
      const loaded = await api.putSettings(parsed.body);
      dirty = false;
      set({ loaded, values: undefined, busy: false });
      notify({ kind: 'ok', msg: { key: 'setup.saved' } });
    } catch (e) {
      set({ busy: false });
      notify({ kind: 'error', error: toApiError(e) });
    }
  };

  const onClick = (ev: Event) => {
    const action = actionTarget(ev, root)?.getAttribute('data-action');
    if (action === 'save') void save();
    else if (action === 'reload') void load();
  };
  const onChange = (ev: Event) => {
    dirty = true;
    const name = (ev.target as HTMLElement | null)?.getAttribute?.('data-name') ?? '';
    // A new pipeline changes which stages can be picked: re-render with what is typed so far.
    if (ev.type === 'change' && /^map\..+\.pipelineId$/.test(name) && state.loaded?.pipelines?.length) {
      set({ values: collectValues(root) });
    }
  };

  root.addEventListener('click', onClick);
  root.addEventListener('change', onChange);
  root.addEventListener('input', onChange);
  if (d.installed) void load();
  else set({});

  return {
    saveIfDirty() {
      if (dirty) void save();
    },
    destroy() {
      alive = false;
      clearTimeout(noticeTimer);
      root.removeEventListener('click', onClick);
      root.removeEventListener('change', onChange);
      root.removeEventListener('input', onChange);
      root.remove();
    },
  };
}
