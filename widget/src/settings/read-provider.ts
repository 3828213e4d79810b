import type { FormValues } from '../dom.ts';
import { trimmed } from './form-text.ts';
import { isMasked, type FieldSpec } from './provider-fields.ts';
import type { ProviderSettingsView } from './settings-types.ts';

/**
 * One provider's part of the PUT body, or undefined when the admin never touched it (not stored,
 * not enabled, nothing typed). A secret is sent only when typed: empty keeps the stored one, and a
 * mask never travels back. Stored fields this form does not show are echoed back. Errors are added
 * to `errors` by input name.
 */
export function readProvider(
  name: string,
  fields: FieldSpec[],
  prev: ProviderSettingsView | undefined,
  v: FormValues,
  errors: Record<string, string>,
): Record<string, unknown> | undefined {
  const secrets = new Set(fields.filter((f) => f.kind === 'secret').map((f) => f.key));
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(prev ?? {})) if (!secrets.has(k) && !isMasked(val)) out[k] = val;
  const enabled = v[`p.${name}.enabled`] === true;
  out.enabled = enabled;
  out.mode = v[`p.${name}.mode`] === 'live' ? 'live' : 'test';
  let touched = prev !== undefined || enabled;
  for (const f of fields) {
    const input = `p.${name}.${f.key}`;
    const raw = v[input];
    delete out[f.key];
    if (f.kind === 'bool') {
      out[f.key] = raw === true;
      touched ||= raw === true;
      continue;
    }
    // Secrets are taken as typed (a leading space may be part of a key); other fields are trimmed.
    const text = f.kind === 'secret' ? (typeof raw === 'string' ? raw : '') : trimmed(raw);
    if (!text) {
      const stored = f.kind === 'secret' && typeof prev?.[f.key] === 'string' && prev[f.key] !== '';
      if (enabled && f.required && !stored) errors[input] = 'setup.required';
      continue;
    }
    touched = true;
    readTyped(f, text, input, out, errors);
  }
  return touched ? out : undefined;
}

/** Integers and URLs are checked here; other kinds are taken as typed. */
function readTyped(f: FieldSpec, text: string, input: string, out: Record<string, unknown>, errors: Record<string, string>): void {
  if (f.kind === 'int') {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(n)) out[f.key] = n;
    else errors[input] = 'setup.integer';
  } else if (f.kind === 'url') {
    // A bank's gateway is reached over TLS only: http:// is refused here, as the message says.
    if (/^https:\/\/[^\s/]+/i.test(text)) out[f.key] = text.replace(/\/+$/, '');
    else errors[input] = 'setup.url';
  } else {
    out[f.key] = text;
  }
}
