import { widgetFile, type WidgetHost } from './amo-host.ts';

type AmdRequire = (deps: string[], ok: (m: unknown) => void, fail: (e: unknown) => void) => void;

/**
 * Loads a rarely used view (settings.js) from the widget's own folder with the page's RequireJS, the
 * loader amoCRM loads script.js with (a widget's extra AMD modules are loaded by path:
 * https://www.amocrm.ru/developers/content/integrations/structure). The file is an anonymous
 * `define(...)` module built next to script.js, so the lead card never downloads it.
 */
export function loadWidgetModule<M>(host: WidgetHost, file: string): Promise<M> {
  const url = widgetFile(host, file);
  const g = globalThis as unknown as { requirejs?: AmdRequire; require?: AmdRequire };
  const amd = g.requirejs ?? g.require;
  return new Promise((resolve, reject) => {
    if (!url || typeof amd !== 'function') return reject(new Error(`cannot load ${file}: no widget folder or no AMD loader`));
    amd([url], (m) => resolve(((m as { default?: M })?.default ?? m) as M), reject);
  });
}
