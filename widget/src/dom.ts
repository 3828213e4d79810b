/** A block's current values by data-name; checkboxes as booleans. Names are unique by construction. */
export type FormValues = Record<string, string | boolean>;

/**
 * Inputs carry `data-name`, never `name`, and live in plain divs, never <form>: the lead card and
 * the settings modal are amoCRM's own forms, so a nested <form> would be dropped by the HTML parser
 * and a named input could be serialized into amoCRM's save (a provider password in widget settings).
 */
export function collectValues(root: ParentNode): FormValues {
  const out: FormValues = {};
  root.querySelectorAll('[data-name]').forEach((node) => {
    const el = node as HTMLInputElement;
    const name = el.getAttribute('data-name') ?? '';
    out[name] = el.type === 'checkbox' ? el.checked : el.value;
  });
  return out;
}

/** amoCRM hands callbacks jQuery objects; the playground may hand plain elements. */
export function toElement(x: unknown): HTMLElement | null {
  const el = x && typeof x === 'object' && !(x as Node).nodeType ? (x as { [i: number]: unknown })[0] : x;
  return el && typeof el === 'object' && (el as Node).nodeType === 1 ? (el as HTMLElement) : null;
}

export function actionTarget(ev: Event, root: HTMLElement): HTMLElement | null {
  const target = ev.target as Element | null;
  const el = target && typeof target.closest === 'function' ? target.closest('[data-action]') : null;
  return el && root.contains(el) ? (el as HTMLElement) : null;
}

/** Enter in a single-line input presses its block's primary button, as it would in a real form. */
export function enterSubmits(ev: KeyboardEvent, root: HTMLElement): HTMLElement | null {
  const target = ev.target as HTMLElement | null;
  if (ev.key !== 'Enter' || !target || target.tagName !== 'INPUT') return null;
  const block = target.closest('[data-form]');
  const button = block && root.contains(block) ? block.querySelector('[data-submit]') : null;
  return button as HTMLElement | null;
}

/** After a failed check, the first field marked invalid gets the focus (and the screen reader's attention). */
export function focusInvalid(root: ParentNode): void {
  (root.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
}
