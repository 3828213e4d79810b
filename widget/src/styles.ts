import type { WidgetHost } from './amo-host.ts';

const STYLE_ID = 'dramlink-styles';

/**
 * The stylesheet ships as style.css next to script.js (kept out of the bundle, which has a size
 * budget) and is loaded from the widget's own folder, versioned so an update is not served stale.
 * amoCRM reports that folder as get_settings().path; without one there is no stylesheet, only
 * amoCRM's defaults.
 */
export function injectStyles(doc: Document, host: WidgetHost): void {
  const settings = host.get_settings?.() || {};
  const base = typeof settings.path === 'string' ? settings.path.replace(/\/+$/, '') : '';
  if (!base || doc.getElementById(STYLE_ID)) return;
  const link = doc.createElement('link');
  link.id = STYLE_ID;
  link.rel = 'stylesheet';
  link.href = `${base}/style.css?v=${encodeURIComponent(String(settings.version || ''))}`;
  doc.head.appendChild(link);
}

export function removeStyles(doc: Document): void {
  const el = doc.getElementById(STYLE_ID);
  if (el) el.remove();
}
