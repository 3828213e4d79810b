export type Vars = Record<string, string | number>;
/** Looks a dotted key up in the widget's i18n file; a missing key comes back as itself so it is visible, not blank. */
export type T = (key: string, vars?: Vars) => string;

/**
 * `top` resolves a top-level section of the locale file: amoCRM gives us `self.langs` (the whole
 * file) and `self.i18n(section)`; either may be missing in older runtimes, so both are accepted.
 */
export function createTranslator(top: (section: string) => unknown): T {
  return (key, vars) => {
    const [section, ...rest] = key.split('.');
    let node: unknown = top(section);
    for (const part of rest) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    if (typeof node !== 'string') return key;
    return vars ? node.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : node;
  };
}

export function translatorFor(host: { langs?: Record<string, unknown>; i18n?(key: string): unknown }): T {
  return createTranslator((section) => host.langs?.[section] ?? host.i18n?.(section));
}

/** For values that come from the server (history actions, review reasons): a label if we have one, else the raw value. */
export function labelOr(t: T, key: string, raw: string): string {
  const label = t(key);
  return label === key ? raw : label;
}
