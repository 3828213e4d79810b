import type { T } from '../i18n.ts';
import type { View } from '../mount-view.ts';
import type { SettingsApi } from './settings-api.ts';
import type { SettingsState } from './settings-state.ts';

export interface SettingsDeps {
  api: SettingsApi;
  t: T;
  root: HTMLElement;
  serverUrl: string;
  /** False before amoCRM has installed the widget: the server has no account yet, so nothing is requested. */
  installed: boolean;
  /** False when amoCRM says the user is not an admin: the form renders read-only. */
  isAdmin?: boolean;
  copy?: (text: string) => Promise<boolean>;
}

/** What the settings handlers work with: the deps, the view, and whether the admin changed anything since the last save. */
export interface SettingsForm {
  d: SettingsDeps;
  view: View<SettingsState>;
  dirty: boolean;
}
