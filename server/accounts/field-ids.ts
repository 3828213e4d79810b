import { CRM_STATUSES, type CrmStatus } from '../../shared/crm-status.ts';

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

/** `accounts.field_ids`: `{ [code]: { id, enums?: { [crmStatus]: enumId } } }`. */
export type LeadFieldIds = Partial<Record<LeadFieldCode, { id: number; enums?: Partial<Record<CrmStatus, number>> }>>;

export function parseFieldIds(json: string | null | undefined): LeadFieldIds {
  try {
    const value: unknown = JSON.parse(json || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as LeadFieldIds) : {};
  } catch {
    return {};
  }
}

/** Every field has an id and the status select has an option for every CRM status. */
export function fieldIdsComplete(ids: LeadFieldIds): boolean {
  return (
    LEAD_FIELD_CODES.every((code) => ids[code]?.id !== undefined) &&
    CRM_STATUSES.every((s) => ids.DRAMLINK_STATUS?.enums?.[s] !== undefined)
  );
}
