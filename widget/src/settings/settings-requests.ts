import { isObject, toApiError, type ApiError } from '../api-client.ts';
import { collectValues, focusInvalid } from '../dom.ts';
import { readProvider } from './read-provider.ts';
import { PROVIDER_FIELDS } from './provider-fields.ts';
import type { SettingsForm } from './settings-context.ts';
import { readSettingsForm } from './settings-form.ts';

export async function loadSettings(form: SettingsForm): Promise<void> {
  const { d, view } = form;
  view.set({ phase: 'loading', error: undefined, notice: undefined });
  try {
    const loaded = await d.api.getSettings();
    const readOnly = loaded.isAdmin === false || d.isAdmin === false;
    view.set({ phase: 'ready', loaded, values: undefined, errors: undefined, readOnly });
    if (!readOnly) void loadDiagnostics(form);
  } catch (e) {
    view.set({ phase: 'error', error: toApiError(e) });
  }
}

/** The server's checks under the form; a server without them (404) or a refusal shows nothing. */
async function loadDiagnostics({ d, view }: SettingsForm): Promise<void> {
  try {
    const diagnostics = await d.api.diagnostics();
    view.set({ diagnostics });
  } catch {
    // Optional: the form works without it.
  }
}

/** The server names bad fields (`providers.arca.baseUrl`, `stageMapping.paid.statusId`): shown in those fields. */
export function serverFieldErrors(err: ApiError): Record<string, string> {
  const fields = isObject(err.details) && Array.isArray(err.details.fields) ? err.details.fields : [];
  const out: Record<string, string> = {};
  for (const f of fields) {
    if (!isObject(f) || typeof f.field !== 'string') continue;
    const name = f.field.replace(/^providers\./, 'p.').replace(/^stageMapping\./, 'map.');
    out[name] =
      `setup.issue.${typeof f.code === 'string' && /^(insecure_base_url|base_url_not_allowed|unknown_pipeline|unknown_status|too_big|too_small)$/.test(f.code) ? f.code : 'invalid'}`;
  }
  return out;
}

/** Checks the form first: mistakes are shown by their fields and nothing is sent until they are fixed. */
export async function saveSettings(form: SettingsForm): Promise<void> {
  const { d, view } = form;
  const { state } = view;
  if (state.phase !== 'ready' || !state.loaded || state.busy || state.readOnly) return;
  const values = collectValues(d.root);
  const parsed = readSettingsForm(values, state.loaded);
  if (!parsed.ok) {
    view.set({ values, errors: parsed.errors });
    view.notify({ kind: 'warn', msg: { key: 'setup.fix_errors' } });
    focusInvalid(d.root);
    return;
  }
  view.set({ values, errors: undefined, busy: true, notice: undefined });
  try {
    const loaded = await d.api.putSettings(parsed.body);
    form.dirty = false;
    view.set({ loaded, values: undefined, busy: false });
    view.notify({ kind: 'ok', msg: { key: 'setup.saved' } });
  } catch (e) {
    const err = toApiError(e);
    const errors = serverFieldErrors(err);
    view.set({ busy: false, errors });
    view.notify({ kind: 'error', error: err });
    focusInvalid(d.root);
  }
}

/** Test connection: the provider's part of the form as it would be saved (a secret left empty means the stored one). */
export async function testProvider(form: SettingsForm, name: string): Promise<void> {
  const { d, view } = form;
  const { state } = view;
  if (!state.loaded || !PROVIDER_FIELDS[name]) return;
  const values = collectValues(d.root);
  const errors: Record<string, string> = {};
  const body = readProvider(name, PROVIDER_FIELDS[name], state.loaded.providers[name], { ...values, [`p.${name}.enabled`]: true }, errors);
  const tests = (patch: object) => ({ tests: { ...view.state.tests, [name]: patch } as never });
  if (Object.keys(errors).length) return view.set({ values, errors: { ...state.errors, ...errors } });
  view.set({ values, ...tests({ pending: true }) });
  try {
    view.set(tests({ result: await d.api.testProvider(name, body ?? { enabled: true, mode: 'test' }) }));
  } catch (e) {
    const err = toApiError(e);
    // A server without the route: no button, rather than an error for a feature that is not there.
    if (err.status === 404) view.set({ noTest: true, tests: undefined });
    else view.set(tests({ error: err }));
  }
}
