import { appGlobal, type WidgetHost } from '../amo-host.ts';
import { copyText } from '../clipboard.ts';
import { translatorFor } from '../i18n.ts';
import { resolveServerUrl } from '../server-url.ts';
import { injectStyles } from '../styles.ts';
import { createSettingsApi } from './settings-api.ts';
import { mountSettings, type MountedSettings } from './settings-controller.ts';

/** The payment settings form in `container` (the settings modal's block, or the advanced settings page). */
export function openSettings(self: WidgetHost, container: HTMLElement): MountedSettings {
  const serverUrl = resolveServerUrl(self.get_settings?.());
  injectStyles(document, self);
  const root = document.createElement('div');
  root.className = 'dramlink drl-setup';
  container.appendChild(root);
  return mountSettings({
    api: createSettingsApi(self, serverUrl),
    t: translatorFor(self),
    root,
    serverUrl,
    installed: self.get_install_status?.() !== 'install',
    isAdmin: adminHint(),
    copy: (text) => copyText(text),
  });
}

/** amoCRM's user_rights constant says whether the user is an admin; unknown means "let the server decide". */
function adminHint(): boolean | undefined {
  const rights = appGlobal()?.constant?.('user_rights') as { is_admin?: unknown } | undefined;
  const flag = rights?.is_admin;
  if (flag === undefined || flag === null) return undefined;
  return flag === true || flag === 'Y' || flag === 1;
}
