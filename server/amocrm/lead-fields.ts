import { eq } from 'drizzle-orm';
import { CRM_STATUSES, type CrmStatus } from '../../shared/crm-status.ts';
import type { Db } from '../db/database.ts';
import { accounts } from '../db/schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { AmocrmClient } from './client.ts';
import { AmocrmError } from './errors.ts';

/** The lead fields of contract.md "CRM fields", found or created by `code`, editable only through the API. */
export const LEAD_FIELDS = [
  { code: 'DRAMLINK_STATUS', type: 'select', name: 'dramlink: payment status' },
  { code: 'DRAMLINK_AMOUNT', type: 'numeric', name: 'dramlink: amount' },
  { code: 'DRAMLINK_CURRENCY', type: 'text', name: 'dramlink: currency' },
  { code: 'DRAMLINK_PAID_AT', type: 'date_time', name: 'dramlink: paid at' },
  { code: 'DRAMLINK_PROVIDER_REF', type: 'text', name: 'dramlink: provider reference' },
  { code: 'DRAMLINK_LINK', type: 'url', name: 'dramlink: payment link' },
] as const;

export type LeadFieldCode = (typeof LEAD_FIELDS)[number]['code'];

/** What a manager reads in the select, one per CRM status (design.md, Status). */
export const CRM_STATUS_LABELS: Record<CrmStatus, string> = {
  awaiting_payment: 'Awaiting payment',
  paid: 'Paid',
  payment_failed: 'Payment failed',
  expired: 'Expired',
  manual_review: 'Manual review',
  partial_refund: 'Partial refund',
  full_refund: 'Full refund',
};

/** accounts.field_ids: `{ [code]: { id, enums?: { [crmStatus]: enumId } } }`. */
export type LeadFieldIds = Partial<Record<LeadFieldCode, { id: number; enums?: Partial<Record<CrmStatus, number>> }>>;

interface AmoField {
  id: number;
  code: string | null;
  type: string;
  enums?: Array<{ id: number; value: string; code?: string | null }> | null;
}

export function readFieldIds(db: Pick<Db, 'select'>, accountId: number): LeadFieldIds {
  const row = db.select({ fieldIds: accounts.fieldIds }).from(accounts).where(eq(accounts.id, accountId)).get();
  try {
    return row ? (JSON.parse(row.fieldIds) as LeadFieldIds) : {};
  } catch {
    return {};
  }
}

export function fieldIdsComplete(ids: LeadFieldIds): boolean {
  return (
    LEAD_FIELDS.every((f) => ids[f.code]?.id !== undefined) && CRM_STATUSES.every((s) => ids.DRAMLINK_STATUS?.enums?.[s] !== undefined)
  );
}

function enumMap(field: AmoField): Partial<Record<CrmStatus, number>> {
  const out: Partial<Record<CrmStatus, number>> = {};
  for (const status of CRM_STATUSES) {
    const e = field.enums?.find((x) => x.code === status) ?? field.enums?.find((x) => x.value === CRM_STATUS_LABELS[status]);
    if (e) out[status] = e.id;
  }
  return out;
}

async function listLeadFields(client: AmocrmClient, accountId: number): Promise<AmoField[]> {
  const all: AmoField[] = [];
  for (let page = 1; page <= 20; page++) {
    const res = await client.request<{ _embedded?: { custom_fields?: AmoField[] }; _links?: { next?: unknown } }>(accountId, {
      method: 'GET',
      path: '/api/v4/leads/custom_fields',
      query: { limit: 250, page },
    });
    const batch = res.data?._embedded?.custom_fields ?? [];
    all.push(...batch);
    if (res.status === 204 || !res.data?._links?.next || batch.length === 0) break;
  }
  return all;
}

/**
 * Finds the dramlink lead fields by code and creates the missing ones (admin token needed), then
 * remembers their ids and the status enum ids in accounts.field_ids. Safe to run again: a second
 * install finds what the first created.
 */
export async function ensureLeadFields(
  deps: { db: Db; clock: Clock; logger: Logger; client: AmocrmClient },
  accountId: number,
): Promise<LeadFieldIds> {
  const { db, client, logger } = deps;
  const existing = await listLeadFields(client, accountId);
  const byCode = new Map(existing.filter((f) => f.code).map((f) => [f.code!, f]));
  const missing = LEAD_FIELDS.filter((f) => !byCode.has(f.code));
  if (missing.length > 0) {
    const res = await client.request<{ _embedded?: { custom_fields?: AmoField[] } }>(accountId, {
      method: 'POST',
      path: '/api/v4/leads/custom_fields',
      // Creating the same field twice would duplicate it, so this is retried only when nothing was applied.
      idempotent: false,
      body: missing.map((f, i) => ({
        type: f.type,
        name: f.name,
        code: f.code,
        is_api_only: true,
        sort: 500 + i,
        ...(f.type === 'select'
          ? { enums: CRM_STATUSES.map((s, j) => ({ value: CRM_STATUS_LABELS[s], sort: (j + 1) * 10, code: s })) }
          : {}),
      })),
    });
    const created = res.data?._embedded?.custom_fields ?? [];
    for (const f of created) if (f.code) byCode.set(f.code, f);
    logger.info('amocrm: lead fields created', { accountId, codes: missing.map((f) => f.code) });
  }
  const ids: LeadFieldIds = {};
  for (const f of LEAD_FIELDS) {
    const found = byCode.get(f.code);
    if (!found) throw new AmocrmError('amocrm_bad_response', `amoCRM did not return the ${f.code} field after creating it`);
    if (found.type !== f.type)
      logger.warn('amocrm: an existing lead field has another type than dramlink expects', { accountId, code: f.code, type: found.type });
    ids[f.code] = f.type === 'select' ? { id: found.id, enums: enumMap(found) } : { id: found.id };
  }
  const missingEnums = CRM_STATUSES.filter((s) => ids.DRAMLINK_STATUS?.enums?.[s] === undefined);
  if (missingEnums.length > 0) {
    logger.warn('amocrm: DRAMLINK_STATUS lacks some statuses; they are written by value', { accountId, missingEnums });
  }
  db.update(accounts)
    .set({ fieldIds: JSON.stringify(ids), updatedAt: deps.clock.now() })
    .where(eq(accounts.id, accountId))
    .run();
  return ids;
}
