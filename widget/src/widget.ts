import { appGlobal, currentLeadId, uiLocale, type WidgetHost } from './amo-host.ts';
import { createApi } from './api-client.ts';
import { copyText } from './clipboard.ts';
import { toElement } from './dom.ts';
import { translatorFor } from './i18n.ts';
import { mountPanel, type Mounted } from './panel/panel-controller.ts';
import { resolveServerUrl } from './server-url.ts';
import { mountSettings, type MountedSettings } from './settings/settings-controller.ts';
import { injectStyles, removeStyles } from './styles.ts';

const ROOT_ID = 'drl-panel-root';

export interface DramlinkWidget extends WidgetHost {
  callbacks: Record<string, (...args: unknown[]) => unknown>;
}

/**
 * The constructor amoCRM instantiates (`new Widget()`), after which it mixes in the runtime methods
 * (`$authorizedAjax`, `render_template`, `i18n`, `langs`, `get_settings`…) and calls the callbacks.
 * Those methods are looked up when a callback runs, never here.
 */
export function DramlinkWidget(this: DramlinkWidget): DramlinkWidget {
  // amoCRM calls the callbacks with another `this`; they reach the widget through `self`.
  // eslint-disable-next-line @typescript-eslint/no-this-alias
  const self = this;
  let panel: Mounted | undefined;
  let setup: MountedSettings | undefined;

  const serverUrl = () => resolveServerUrl(self.get_settings?.());
  const api = () => createApi(self, serverUrl());

  const closeSetup = () => {
    setup?.destroy();
    setup = undefined;
  };

  const openSetup = (container: HTMLElement) => {
    closeSetup();
    injectStyles(document, self);
    const root = document.createElement('div');
    root.className = 'dramlink drl-setup';
    container.appendChild(root);
    setup = mountSettings({
      api: api(),
      t: translatorFor(self),
      root,
      serverUrl: serverUrl(),
      installed: self.get_install_status?.() !== 'install',
      isAdmin: adminHint(),
    });
  };

  this.callbacks = {
    render() {
      const leadId = currentLeadId(appGlobal());
      const area = self.system?.()?.area;
      // A new, unsaved lead (id 0) has nothing to pay for yet; other areas get no panel.
      if (!leadId || (area && area !== 'lcard')) return true;
      panel?.destroy();
      injectStyles(document, self);
      panel = mountPanel({
        api: api(),
        t: translatorFor(self),
        leadId,
        locale: uiLocale(appGlobal()),
        serverUrl: serverUrl(),
        root: panelRoot(self),
        copy: (text) => copyText(text),
      });
      return true;
    },
    // The panel binds its own (delegated) handlers when render mounts it, so there is nothing left to do here.
    init: () => true,
    bind_actions: () => true,
    settings($modal: unknown) {
      const body = toElement($modal);
      if (body) openSetup((body.querySelector('.widget_settings_block') as HTMLElement | null) ?? body);
      return true;
    },
    advancedSettings() {
      const holder = document.getElementById('list_page_holder');
      if (holder) {
        holder.innerHTML = '';
        openSetup(holder);
      }
      return true;
    },
    onSave() {
      setup?.saveIfDirty();
      return true;
    },
    // Runs on disable and on every switch between areas: leave nothing behind.
    destroy() {
      panel?.destroy();
      panel = undefined;
      closeSetup();
      document.getElementById(ROOT_ID)?.remove();
      removeStyles(document);
    },
  };
  return this;
}

/**
 * Inside the right-column block amoCRM builds for us when render_template exists (the template is a
 * fixed string: twig would interpret any `{{` in data, so data never goes through it), else in a
 * container of our own.
 */
function panelRoot(self: WidgetHost): HTMLElement {
  document.getElementById(ROOT_ID)?.remove();
  if (typeof self.render_template === 'function') {
    self.render_template({ caption: { class_name: 'dramlink-caption' }, body: '', render: `<div id="${ROOT_ID}" class="dramlink"></div>` });
    const el = document.getElementById(ROOT_ID);
    if (el) return el;
  }
  const el = document.createElement('div');
  el.id = ROOT_ID;
  el.className = 'dramlink';
  (document.getElementById('widgets_block') ?? document.body).appendChild(el);
  return el;
}

/** amoCRM's user_rights constant says whether the user is an admin; unknown means "let the server decide". */
function adminHint(): boolean | undefined {
  const rights = appGlobal()?.constant?.('user_rights') as { is_admin?: unknown } | undefined;
  const flag = rights?.is_admin;
  if (flag === undefined || flag === null) return undefined;
  return flag === true || flag === 'Y' || flag === 1;
}
