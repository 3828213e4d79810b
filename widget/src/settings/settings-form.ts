import { CRM_STATUSES } from '../../../shared/crm-status.ts';
import { isCurrency } from '../../../shared/money.ts';
import type { FormValues } from '../dom.ts';
import { MAX_HOURS } from '../panel/create-form.ts';
import { PROVIDER_FIELDS, isMasked } from './provider-fields.ts';
import type { SettingsBody, SettingsView, StageTarget } from './settings-types.ts';

/** Input names: p.<provider>.<field>, p.<provider>.enabled|mode, defaultCurrency, linkTtlHours, map.<crmStatus>.pipelineId|statusId. */
export function initialValues(s: SettingsView): FormValues {
  const v: FormValues = {
    defaultCurrency: s.defaultCurrency ?? 'AMD',
    linkTtlHours: String(s.linkTtlHours ?? 72),
  };
  for (const [name, fields] of Object.entries(PROVIDER_FIELDS)) {
    const prev = s.providers[name] ?? {};
    v[`p.${name}.enabled`] = prev.enabled === true;
    v[`p.${name}.mode`] = prev.mode === 'live' ? 'live' : 'test';
    for (const f of fields) {
      const raw = prev[f.key];
      v[`p.${name}.${f.key}`] =
        f.kind === 'bool' ? raw === true : f.kind === 'secret' || raw === undefined || raw === null ? '' : String(raw);
    }
  }
  for (const status of CRM_STATUSES) {
    const m = s.stageMapping?.[status];
    v[`map.${status}.pipelineId`] = m ? String(m.pipelineId) : '';
    v[`map.${status}.statusId`] = m ? String(m.statusId) : '';
  }
  return v;
}

export type SettingsParse = { ok: true; body: SettingsBody } | { ok: false; errors: Record<string, string> };

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v.trim() : '');
const positiveInt = (text: string) =>
  /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) > 0 ? Number(text) : undefined;

/**
 * Builds the PUT body from the form. Errors are i18n keys by input name. A secret is sent only when
 * typed (empty keeps the stored one); a provider the admin never touched is left out; fields this
 * form does not edit are echoed back so a save cannot silently drop them.
 */
export function readSettingsForm(v: FormValues, loaded: SettingsView): SettingsParse {
  const errors: Record<string, string> = {};
  const providers: SettingsBody['providers'] = {};

  for (const [name, fields] of Object.entries(PROVIDER_FIELDS)) {
    const prev = loaded.providers[name];
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
      const text = f.kind === 'secret' ? (typeof raw === 'string' ? raw : '') : str(raw);
      if (!text) {
        const stored = f.kind === 'secret' && typeof prev?.[f.key] === 'string' && prev[f.key] !== '';
        if (enabled && f.required && !stored) errors[input] = 'setup.required';
        continue;
      }
      touched = true;
      if (f.kind === 'int') {
        const n = /^\d+$/.test(text) ? Number(text) : NaN;
        if (Number.isSafeInteger(n)) out[f.key] = n;
        else errors[input] = 'setup.integer';
      } else if (f.kind === 'url') {
        if (/^https?:\/\/[^\s/]+/i.test(text)) out[f.key] = text.replace(/\/+$/, '');
        else errors[input] = 'setup.url';
      } else {
        out[f.key] = text;
      }
    }
    if (touched) providers[name] = out;
  }

  const currency = str(v.defaultCurrency);
  const ttl = positiveInt(str(v.linkTtlHours));
  if (ttl === undefined || ttl > MAX_HOURS) errors.linkTtlHours = 'setup.integer';

  const stageMapping: Record<string, StageTarget> = {};
  for (const status of CRM_STATUSES) {
    const pText = str(v[`map.${status}.pipelineId`]);
    const sText = str(v[`map.${status}.statusId`]);
    if (!pText && !sText) continue;
    const pipelineId = positiveInt(pText);
    const statusId = positiveInt(sText);
    if (!pText || !sText) errors[`map.${status}.${pText ? 'statusId' : 'pipelineId'}`] = 'setup.pair';
    else if (pipelineId === undefined) errors[`map.${status}.pipelineId`] = 'setup.integer';
    else if (statusId === undefined) errors[`map.${status}.statusId`] = 'setup.integer';
    else stageMapping[status] = { pipelineId, statusId };
  }

  if (Object.keys(errors).length > 0 || ttl === undefined) return { ok: false, errors };
  const body: SettingsBody = { providers, defaultCurrency: isCurrency(currency) ? currency : 'AMD', linkTtlHours: ttl };
  if (Object.keys(stageMapping).length > 0) body.stageMapping = stageMapping;
  if (loaded.taskResponsibleUserId !== undefined) body.taskResponsibleUserId = loaded.taskResponsibleUserId;
  if (loaded.merchantName !== undefined) body.merchantName = loaded.merchantName;
  return { ok: true, body };
}
