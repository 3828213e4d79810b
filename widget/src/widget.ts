import { appGlobal, currentLeadId, type WidgetHost } from './amo-host.ts';
import { toElement } from './dom.ts';
import { openPanel, PANEL_ROOT_ID } from './panel/open-panel.ts';
import type { Mounted } from './panel/panel-controller.ts';
import { openSettings } from './settings/open-settings.ts';
import type { MountedSettings } from './settings/settings-controller.ts';
import { removeStyles } from './styles.ts';

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

  const closeSetup = () => {
    setup?.destroy();
    setup = undefined;
  };
  const openSetup = (container: HTMLElement) => {
    closeSetup();
    setup = openSettings(self, container);
  };

  this.callbacks = {
    render() {
      const leadId = currentLeadId(appGlobal());
      const area = self.system?.()?.area;
      // A new, unsaved lead (id 0) has nothing to pay for yet; other areas get no panel.
      if (!leadId || (area && area !== 'lcard')) return true;
      panel?.destroy();
      panel = openPanel(self, leadId);
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
      document.getElementById(PANEL_ROOT_ID)?.remove();
      removeStyles(document);
    },
  };
  return this;
}
