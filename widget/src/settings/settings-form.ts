import { CRM_STATUSES } from '../../../shared/crm-status.ts';
import { isCurrency } from '../../../shared/money.ts';
import type { FormValues } from '../dom.ts';
import { MAX_HOURS } from '../panel/create-form.ts';
import { PROVIDER_FIELDS } from './provider-fields.ts';
import { positiveInt, trimmed } from './form-text.ts';
import { readProvider } from './read-provider.ts';
import { readStageMapping } from './read-stage-mapping.ts';
import type { SettingsBody, SettingsView } from './settings-types.ts';

/**
 * Input names: p.<provider>.<field>, p.<provider>.enabled|mode, defaultCurrency, linkTtlHours,
 * merchantName, language, salesbotId, map.<crmStatus>.pipelineId|statusId.
 */
export function initialValues(s: SettingsView): FormValues {
  const v: FormValues = {
    defaultCurrency: s.defaultCurrency ?? 'AMD',
    linkTtlHours: String(s.linkTtlHours ?? 72),
    merchantName: s.merchantName ?? '',
    language: s.language ?? '',
    salesbotId: s.salesbotId ? String(s.salesbotId) : '',
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

export const MAX_MERCHANT_NAME = 120;
export const LANGUAGES = ['ru', 'en', 'es', 'pt'];

export type SettingsParse = { ok: true; body: SettingsBody } | { ok: false; errors: Record<string, string> };

/**
 * Builds the PUT body from the form. Errors are i18n keys by input name. A provider the admin never
 * touched is left out (see read-provider.ts for secrets); fields this form does not edit are echoed
 * back so a save cannot silently drop them.
 */
export function readSettingsForm(v: FormValues, loaded: SettingsView): SettingsParse {
  const errors: Record<string, string> = {};
  const providers: SettingsBody['providers'] = {};
  for (const [name, fields] of Object.entries(PROVIDER_FIELDS)) {
    const out = readProvider(name, fields, loaded.providers[name], v, errors);
    if (out) providers[name] = out;
  }
  const currency = trimmed(v.defaultCurrency);
  const ttl = positiveInt(trimmed(v.linkTtlHours));
  if (ttl === undefined || ttl > MAX_HOURS) errors.linkTtlHours = 'setup.integer';
  const stageMapping = readStageMapping(v, errors);
  const merchantName = trimmed(v.merchantName);
  if (merchantName.length > MAX_MERCHANT_NAME) errors.merchantName = 'setup.too_long';
  const language = trimmed(v.language);
  const salesbotText = trimmed(v.salesbotId);
  const salesbotId = positiveInt(salesbotText);
  if (salesbotText && salesbotId === undefined) errors.salesbotId = 'setup.integer';

  if (Object.keys(errors).length > 0 || ttl === undefined) return { ok: false, errors };
  const body: SettingsBody = { providers, defaultCurrency: isCurrency(currency) ? currency : 'AMD', linkTtlHours: ttl };
  if (Object.keys(stageMapping).length > 0) body.stageMapping = stageMapping;
  if (loaded.taskResponsibleUserId !== undefined) body.taskResponsibleUserId = loaded.taskResponsibleUserId;
  // Empty: the pay page names the merchant by the amoCRM account's name.
  if (merchantName) body.merchantName = merchantName;
  // Empty: as amoCRM reports it (the installing admin's language).
  if (LANGUAGES.includes(language)) body.language = language;
  // Empty: "Send" on the card offers only the ready message to copy.
  if (salesbotId !== undefined) body.salesbotId = salesbotId;
  return { ok: true, body };
}
