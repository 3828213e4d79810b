import { CRM_STATUSES, type CrmStatus } from '../../shared/crm-status.ts';
import type { AccountLanguage } from '../../shared/api.ts';

/** The codes of the dramlink lead fields, found or created by code at install (server/amocrm/lead-fields.ts). */
export const LEAD_FIELD_CODES = [
  'DRAMLINK_STATUS',
  'DRAMLINK_AMOUNT',
  'DRAMLINK_CURRENCY',
  'DRAMLINK_PAID_AT',
  'DRAMLINK_PROVIDER_REF',
  'DRAMLINK_LINK',
] as const;

export type LeadFieldCode = (typeof LEAD_FIELD_CODES)[number];

/**
 * `accounts.field_ids`: `{ [code]: { id, enums?: { [crmStatus]: enumId } }, labels? }`, where
 * `labels` is the language the fields' names and the status options were last written in.
 */
export type LeadFieldIds = Partial<Record<LeadFieldCode, { id: number; enums?: Partial<Record<CrmStatus, number>> }>> & {
  labels?: AccountLanguage;
};

export function parseFieldIds(json: string | null | undefined): LeadFieldIds {
  try {
    const value: unknown = JSON.parse(json || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as LeadFieldIds) : {};
  } catch {
    return {};
  }
}

/**
 * Every field has an id and the status select has an option for every CRM status; with `language`,
 * the labels are also written in it (a new language, or an account set up before labels were
 * translated, has its fields relabeled before the next write).
 */
export function fieldIdsComplete(ids: LeadFieldIds, language?: AccountLanguage): boolean {
  return (
    LEAD_FIELD_CODES.every((code) => ids[code]?.id !== undefined) &&
    CRM_STATUSES.every((s) => ids.DRAMLINK_STATUS?.enums?.[s] !== undefined) &&
    (language === undefined || ids.labels === language)
  );
}
