import { z } from 'zod';
import type { AmocrmRequester } from '../call.ts';
import { isAmocrmError } from '../errors.ts';
import { parseAnswer } from './parse.ts';

/**
 * The invoices list ("Счета/покупки"), a catalog of type `invoices`
 * (https://www.amocrm.ru/developers/content/crm_platform/catalogs-api): where it is, one invoice
 * (an element) with its fields, the lead it belongs to, and the batch PATCH that marks invoices paid.
 * Each call lives here once, so a real account that answers otherwise is corrected in one place.
 */

const accountInvoicesSchema = z.looseObject({
  invoices_settings: z.looseObject({ invoices_catalog_id: z.number().int().positive().nullable().optional() }).nullable().optional(),
});

const catalogsPageSchema = z.looseObject({
  _embedded: z.looseObject({ catalogs: z.array(z.looseObject({ id: z.number().int(), type: z.string().optional() })) }).optional(),
});

/**
 * The account's invoices list: `GET /api/v4/account?with=invoices_settings` names it; else the
 * catalogs list's item of type `invoices` (both documented). Null when the account has none (the
 * list is off in Settings → General).
 */
export async function findInvoicesCatalogId(api: AmocrmRequester): Promise<number | null> {
  const account = await api.request<unknown>({ method: 'GET', path: '/api/v4/account', query: { with: 'invoices_settings' } });
  const id = parseAnswer(accountInvoicesSchema, account.data ?? {}, 'GET /api/v4/account').invoices_settings?.invoices_catalog_id;
  if (id) return id;
  const list = await api.request<unknown>({ method: 'GET', path: '/api/v4/catalogs', query: { limit: 250 } });
  if (list.data === undefined) return null;
  const catalogs = parseAnswer(catalogsPageSchema, list.data, 'GET /api/v4/catalogs')._embedded?.catalogs ?? [];
  return catalogs.find((c) => c.type === 'invoices')?.id ?? null;
}

const fieldValueSchema = z.looseObject({
  field_id: z.number().int().optional(),
  field_code: z.string().nullable().optional(),
  values: z
    .array(z.looseObject({ value: z.unknown().optional(), enum_id: z.number().optional(), enum_code: z.string().nullable().optional() }))
    .nullable(),
});

export const catalogElementSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().optional(),
  is_deleted: z.boolean().optional(),
  custom_fields_values: z.array(fieldValueSchema).nullable().optional(),
  invoice_link: z.string().nullable().optional(),
  /** Parsed by amoCRM's PHP library, not documented: kept when present. */
  currency_id: z.unknown().optional(),
  currency: z.unknown().optional(),
});
export type CatalogElement = z.infer<typeof catalogElementSchema>;
export type CatalogFieldValue = z.infer<typeof fieldValueSchema>;

/** One invoice, or null when it is not (or no longer) in the list: deleted, or never there. */
export async function getCatalogElement(api: AmocrmRequester, catalogId: number, elementId: number): Promise<CatalogElement | null> {
  const path = `/api/v4/catalogs/${catalogId}/elements/${elementId}`;
  let result;
  try {
    result = await api.request<unknown>({ method: 'GET', path, query: { with: 'invoice_link' } });
  } catch (err) {
    if (isAmocrmError(err) && err.code === 'amocrm_not_found') return null;
    throw err;
  }
  if (result.status === 204 || result.data === undefined) return null;
  const element = parseAnswer(catalogElementSchema, result.data, `GET ${path}`);
  return element.is_deleted ? null : element;
}

const linksSchema = z.looseObject({
  _embedded: z.looseObject({ links: z.array(z.looseObject({ to_entity_id: z.number().int(), to_entity_type: z.string() })) }).optional(),
});

/**
 * The leads an invoice is linked to. `GET …/elements/{id}/links` is what amoCRM's official PHP
 * library calls (the docs list `/links` for leads, contacts, companies and customers only): a real
 * account that refuses it answers an error here, which the PayWall records for doctor.
 */
export async function elementLeadIds(api: AmocrmRequester, catalogId: number, elementId: number): Promise<number[]> {
  const path = `/api/v4/catalogs/${catalogId}/elements/${elementId}/links`;
  const result = await api.request<unknown>({ method: 'GET', path });
  if (result.status === 204 || result.data === undefined) return [];
  const links = parseAnswer(linksSchema, result.data, `GET ${path}`)._embedded?.links ?? [];
  return links.filter((l) => l.to_entity_type === 'leads').map((l) => l.to_entity_id);
}

/** One item of `PATCH /api/v4/catalogs/{id}/elements`: fields by code (a select by its enum code). */
export interface CatalogElementPatch {
  id: number;
  custom_fields_values: Array<{ field_code: string; values: Array<Record<string, unknown>> | null }>;
  request_id?: string;
}

/** Idempotent (the same values again change nothing), so retried after a timeout. */
export async function patchCatalogElements(api: AmocrmRequester, catalogId: number, items: CatalogElementPatch[]): Promise<void> {
  await api.request({ method: 'PATCH', path: `/api/v4/catalogs/${catalogId}/elements`, body: items });
}
