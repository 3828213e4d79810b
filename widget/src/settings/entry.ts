import { openSettings } from './open-settings.ts';

/** settings.js: what script.js loads when an admin opens the widget settings (lazy-module.ts). */
export interface SettingsModule {
  openSettings: typeof openSettings;
}

const settingsModule: SettingsModule = { openSettings };
export default settingsModule;
