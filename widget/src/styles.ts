import { widgetFile, type WidgetHost } from './amo-host.ts';

const STYLE_ID = 'dramlink-styles';

/**
 * The stylesheet ships as style.css next to script.js (kept out of the bundle, which has a size
 * budget) and is loaded from the widget's own folder; without a folder there is no stylesheet, only
 * amoCRM's defaults.
 */
export function injectStyles(doc: Document, host: WidgetHost): void {
  const href = widgetFile(host, 'style.css');
  if (!href || doc.getElementById(STYLE_ID)) return;
  const link = doc.createElement('link');
  link.id = STYLE_ID;
  link.rel = 'stylesheet';
  link.href = href;
  doc.head.appendChild(link);
}

export function removeStyles(doc: Document): void {
  const el = doc.getElementById(STYLE_ID);
  if (el) el.remove();
}
