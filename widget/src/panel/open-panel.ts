import { appGlobal, showAmoMessage, uiLocale, type WidgetHost } from '../amo-host.ts';
import { createApi, createCaller } from '../api-client.ts';
import { loadReach } from '../reach-callbacks.ts';
import { copyText } from '../clipboard.ts';
import { translatorFor } from '../i18n.ts';
import { resolveServerUrl } from '../server-url.ts';
import { injectStyles } from '../styles.ts';
import { mountPanel, type Mounted } from './panel-controller.ts';

export const PANEL_ROOT_ID = 'drl-panel-root';

/** The panel for the open lead, wired to amoCRM's runtime (`self`): its ajax, its language, its settings, its popups. */
export function openPanel(self: WidgetHost, leadId: number): Mounted {
  const serverUrl = resolveServerUrl(self.get_settings?.());
  injectStyles(document, self);
  return mountPanel({
    api: createApi(self, serverUrl),
    t: translatorFor(self),
    leadId,
    locale: uiLocale(appGlobal()),
    serverUrl,
    root: panelRoot(self),
    copy: (text) => copyText(text),
    call: createCaller(self, serverUrl),
    reach: () => loadReach(self),
    announce: showAmoMessage,
  });
}

/**
 * Inside the right-column block amoCRM builds for us when render_template exists (the template is a
 * fixed string: twig would interpret any `{{` in data, so data never goes through it), else in a
 * container of our own.
 */
function panelRoot(self: WidgetHost): HTMLElement {
  document.getElementById(PANEL_ROOT_ID)?.remove();
  if (typeof self.render_template === 'function') {
    self.render_template({
      caption: { class_name: 'dramlink-caption' },
      body: '',
      render: `<div id="${PANEL_ROOT_ID}" class="dramlink"></div>`,
    });
    const el = document.getElementById(PANEL_ROOT_ID);
    if (el) return el;
  }
  const el = document.createElement('div');
  el.id = PANEL_ROOT_ID;
  el.className = 'dramlink';
  (document.getElementById('widgets_block') ?? document.body).appendChild(el);
  return el;
}
