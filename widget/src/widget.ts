import { appGlobal, currentLeadId, type WidgetHost } from './amo-host.ts';
import { toElement } from './dom.ts';
import { esc } from './html.ts';
import { translatorFor } from './i18n.ts';
import { loadWidgetModule } from './lazy-module.ts';
import { openPanel, PANEL_ROOT_ID } from './panel/open-panel.ts';
import type { Mounted } from './panel/panel-controller.ts';
import type { SettingsModule } from './settings/entry.ts';
import type { MountedSettings } from './settings/settings-controller.ts';
import { loadReach, REACH_ROOTS, salesbotCallbacks } from './reach-callbacks.ts';
import { removeStyles } from './styles.ts';

export interface DramlinkWidget extends WidgetHost {
  callbacks: Record<string, ((...args: unknown[]) => unknown) | Record<string, (...args: unknown[]) => unknown>>;
}

/**
 * The constructor amoCRM instantiates (`new Widget()`), after which it mixes in the runtime methods
 * (`$authorizedAjax`, `render_template`, `i18n`, `langs`, `get_settings`…) and calls the callbacks.
 * Those methods are looked up when a callback runs, never here. The settings view lives in its own
 * file (settings.js), loaded only when an admin opens the settings: the lead card never pays for it.
 */
export function DramlinkWidget(this: DramlinkWidget): DramlinkWidget {
  // amoCRM calls the callbacks with another `this`; they reach the widget through `self`.
  // eslint-disable-next-line @typescript-eslint/no-this-alias
  const self = this;
  let panel: Mounted | undefined;
  let closeBulk: (() => void) | undefined;
  const { open: openSetup, close: closeSetup, current: setup } = settingsSlot(self);

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
    // The lead list's mass action and the Digital Pipeline action's settings live in reach.js.
    leads: {
      selected() {
        closeBulk?.();
        loadReach(self).then((m) => (closeBulk = m.openBulkFor(self)), noop);
        return true;
      },
    },
    dpSettings() {
      loadReach(self).then((m) => m.pipelineSettingsFor(self), noop);
      return true;
    },
    onSave() {
      setup()?.saveIfDirty();
      return true;
    },
    // Runs on disable and on every switch between areas: leave nothing behind.
    destroy() {
      panel?.destroy();
      panel = undefined;
      closeBulk?.();
      closeBulk = undefined;
      for (const id of REACH_ROOTS) document.getElementById(id)?.remove();
      closeSetup();
      document.getElementById(PANEL_ROOT_ID)?.remove();
      removeStyles(document);
    },
  };
  // The Salesbot designer step's two callbacks (no object spread: es2017 would add a helper to the bundle).
  Object.assign(this.callbacks, salesbotCallbacks(self));
  return this;
}

const noop = () => undefined;

/** The settings view, loaded on first use; a newer open (or a close) wins over a load still in flight. */
function settingsSlot(self: WidgetHost) {
  let setup: MountedSettings | undefined;
  let opening = 0;
  const close = () => {
    opening++;
    setup?.destroy();
    setup = undefined;
  };
  const open = (container: HTMLElement) => {
    close();
    const ticket = opening;
    loadWidgetModule<SettingsModule>(self, 'settings.js').then(
      (m) => {
        if (ticket === opening) setup = m.openSettings(self, container);
      },
      () => {
        if (ticket !== opening) return;
        container.insertAdjacentHTML(
          'beforeend',
          `<div class="dramlink" role="alert">${esc(translatorFor(self)('setup.load_failed'))}</div>`,
        );
      },
    );
  };
  return { open, close, current: () => setup };
}
