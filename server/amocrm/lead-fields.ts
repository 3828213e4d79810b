import { CRM_STATUSES, type CrmStatus } from '../../shared/crm-status.ts';
import type { Account } from '../accounts/account.ts';
import { saveFieldIds } from '../accounts/account-store.ts';
import type { LeadFieldCode, LeadFieldIds } from '../accounts/field-ids.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { AccountAmocrm, CustomField, NewCustomField } from './endpoints/index.ts';
import { AmocrmError } from './errors.ts';

export type { LeadFieldCode, LeadFieldIds } from '../accounts/field-ids.ts';

const FIELD_SPECS: Record<LeadFieldCode, { type: string; name: string }> = {
  DRAMLINK_STATUS: { type: 'select', name: 'dramlink: payment status' },
  DRAMLINK_AMOUNT: { type: 'numeric', name: 'dramlink: amount' },
  DRAMLINK_CURRENCY: { type: 'text', name: 'dramlink: currency' },
  DRAMLINK_PAID_AT: { type: 'date_time', name: 'dramlink: paid at' },
  DRAMLINK_PROVIDER_REF: { type: 'text', name: 'dramlink: provider reference' },
  DRAMLINK_LINK: { type: 'url', name: 'dramlink: payment link' },
};

/** The dramlink lead fields, found or created by `code`, editable only through the API. */
export const LEAD_FIELDS = (Object.keys(FIELD_SPECS) as LeadFieldCode[]).map((code) => ({ code, ...FIELD_SPECS[code] }));

/** What a manager reads in the status select, one option per CRM status (docs/architecture.md, Status rules). */
export const CRM_STATUS_LABELS: Record<CrmStatus, string> = {
  awaiting_payment: 'Awaiting payment',
  paid: 'Paid',
  payment_failed: 'Payment failed',
  expired: 'Expired',
  manual_review: 'Manual review',
  partial_refund: 'Partial refund',
  full_refund: 'Full refund',
};

function enumMap(field: CustomField): Partial<Record<CrmStatus, number>> {
  const out: Partial<Record<CrmStatus, number>> = {};
  for (const status of CRM_STATUSES) {
    const e = field.enums?.find((x) => x.code === status) ?? field.enums?.find((x) => x.value === CRM_STATUS_LABELS[status]);
    if (e) out[status] = e.id;
  }
  return out;
}

function newFields(missing: typeof LEAD_FIELDS): NewCustomField[] {
  return missing.map((f, i) => ({
    type: f.type,
    name: f.name,
    code: f.code,
    is_api_only: true,
    sort: 500 + i,
    ...(f.type === 'select' ? { enums: CRM_STATUSES.map((s, j) => ({ value: CRM_STATUS_LABELS[s], sort: (j + 1) * 10, code: s })) } : {}),
  }));
}

function idsOf(byCode: Map<string, CustomField>, logger: Logger, accountId: number): LeadFieldIds {
  const ids: LeadFieldIds = {};
  for (const f of LEAD_FIELDS) {
    const found = byCode.get(f.code);
    if (!found) throw new AmocrmError('amocrm_bad_response', `amoCRM did not return the ${f.code} field after creating it`);
    if (found.type !== f.type)
      logger.warn('amocrm: an existing lead field has another type than dramlink expects', { accountId, code: f.code, type: found.type });
    ids[f.code] = f.type === 'select' ? { id: found.id, enums: enumMap(found) } : { id: found.id };
  }
  const missingEnums = CRM_STATUSES.filter((s) => ids.DRAMLINK_STATUS?.enums?.[s] === undefined);
  if (missingEnums.length > 0)
    logger.warn('amocrm: DRAMLINK_STATUS lacks some statuses; they are written by value', { accountId, missingEnums });
  return ids;
}

/**
 * Finds the dramlink lead fields by code and creates the missing ones (admin token needed), then
 * remembers their ids and the status enum ids in the account's field ids. Safe to run again: a
 * second install finds what the first created.
 */
export async function ensureLeadFields(
  deps: { store: Store; clock: Clock; logger: Logger },
  target: { account: Account; amocrm: AccountAmocrm },
): Promise<LeadFieldIds> {
  const { account, amocrm } = target;
  const existing = await amocrm.customFields.listLeadFields();
  const byCode = new Map(existing.filter((f) => f.code).map((f) => [f.code!, f]));
  const missing = LEAD_FIELDS.filter((f) => !byCode.has(f.code));
  if (missing.length > 0) {
    for (const f of await amocrm.customFields.createLeadFields(newFields(missing))) if (f.code) byCode.set(f.code, f);
    deps.logger.info('amocrm: lead fields created', { accountId: account.id, codes: missing.map((f) => f.code) });
  }
  const ids = idsOf(byCode, deps.logger, account.id);
  await deps.store.run((tx) => saveFieldIds(tx, account, ids, deps.clock.now()));
  return ids;
}
