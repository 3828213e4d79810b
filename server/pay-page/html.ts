import { stripBidiControls } from '../../shared/text.ts';

/**
 * Escapes text for HTML element and attribute contexts. Every dynamic value goes through it, and
 * loses its bidi controls on the way (a stored name could carry them from amoCRM: shared/text.ts).
 */
export function esc(value: unknown): string {
  return stripBidiControls(String(value ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
