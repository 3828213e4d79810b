import { Router, type Request } from 'express';
import { batchBody } from '../batch.ts';
import { applyFieldValues, resolveFieldValues } from '../custom-field-values.ts';
import type { EmuCatalog, EmuCatalogElement } from '../types.ts';
import { filterOf, listParam, pagedList } from '../pagination.ts';
import { invoiceLinkOf } from '../paywall-page.ts';
import { noContent, ok, validationFailed, type Reply } from '../reply.ts';
import { invalidType, isInt, isRecord, notFound, requestIdOf, type ItemError, type ItemErrors } from '../validation.ts';
import { baseUrl, caller, idParam, selfLink, type RouteDeps } from './deps.ts';

/**
 * Catalogs (lists) and their elements, as far as the invoices list goes
 * (https://www.amocrm.ru/developers/content/crm_platform/catalogs-api): list the catalogs, read an
 * element (`with=invoice_link` adds its public PayWall link), its links to leads (an endpoint
 * amoCRM's official PHP library uses; the docs list `/links` for leads, contacts, companies and
 * customers only), and update elements in a batch by `field_id` or `field_code`.
 */
const missing = (): Reply => ({ status: 404 });

function catalogJson(req: Request, c: EmuCatalog) {
  return { ...structuredClone(c), _links: selfLink(req, `/api/v4/catalogs/${c.id}`) };
}

/** The public invoice page: here the emulator's own PayWall stand-in (a debug page). */
export function invoiceLink(req: Request, e: EmuCatalogElement): string {
  return invoiceLinkOf(baseUrl(req), e.account_id, e.id);
}

function elementJson(req: Request, e: EmuCatalogElement, withLink: boolean) {
  const { lead_ids: _leads, ...rest } = structuredClone(e);
  return {
    ...rest,
    ...(withLink ? { invoice_link: invoiceLink(req, e) } : {}),
    _embedded: { warning: null },
    _links: selfLink(req, `/api/v4/catalogs/${e.catalog_id}/elements/${e.id}`),
  };
}

const withOf = (req: Request) => new Set(String(req.query.with ?? '').split(','));

export function catalogsRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { responder, invoices, state } = deps;

  r.get(
    '/api/v4/catalogs',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const type = (req.query.type ?? filterOf(req).type) as string | undefined;
      const list = invoices.catalogs(acc.account.id).filter((c) => !type || c.type === type);
      return pagedList(
        req,
        'catalogs',
        list.map((c) => catalogJson(req, c)),
      );
    }),
  );

  r.get(
    '/api/v4/catalogs/:catalogId/elements',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const book = invoices.book(acc.account.id);
      if (!book || book.catalog.id !== idParam(req.params.catalogId)) return missing();
      const ids = listParam(filterOf(req).id)?.map(Number);
      const list = [...book.elements.values()].filter((e) => !ids || ids.includes(e.id)).sort((a, b) => a.id - b.id);
      return pagedList(
        req,
        'elements',
        list.map((e) => elementJson(req, e, withOf(req).has('invoice_link'))),
      );
    }),
  );

  r.get(
    '/api/v4/catalogs/:catalogId/elements/:id',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const e = invoices.element(acc.account.id, idParam(req.params.catalogId) ?? -1, idParam(req.params.id) ?? -1);
      return e ? ok(elementJson(req, e, withOf(req).has('invoice_link'))) : missing();
    }),
  );

  r.get(
    '/api/v4/catalogs/:catalogId/elements/:id/links',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const e = invoices.element(acc.account.id, idParam(req.params.catalogId) ?? -1, idParam(req.params.id) ?? -1);
      if (!e) return missing();
      if (e.lead_ids.length === 0) return noContent();
      const links = e.lead_ids.map((leadId) => ({
        entity_id: e.id,
        entity_type: 'catalog_elements',
        to_entity_id: leadId,
        to_entity_type: 'leads',
        metadata: { catalog_id: e.catalog_id, quantity: 1 },
      }));
      return ok({ _total_items: links.length, _links: selfLink(req, req.path), _embedded: { links } });
    }),
  );

  r.patch(
    '/api/v4/catalogs/:catalogId/elements',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      const book = invoices.book(acc.account.id);
      if (!book || book.catalog.id !== idParam(req.params.catalogId)) return missing();
      const batch = batchBody(req.body);
      if ('reply' in batch) return batch.reply;
      const failed: ItemErrors[] = [];
      const changes: Array<{ element: EmuCatalogElement; apply: () => void }> = [];
      batch.items.forEach((item, i) => {
        const errors: ItemError[] = [];
        if (!isRecord(item) || !isInt(item.id)) errors.push(invalidType('id', 'int'));
        const element = isRecord(item) && isInt(item.id) ? book.elements.get(item.id) : undefined;
        if (isRecord(item) && isInt(item.id) && !element) errors.push(notFound('id', `Element ${item.id}`));
        const resolved = resolveFieldValues(
          state,
          acc,
          isRecord(item) ? (item.custom_fields_values ?? null) : null,
          undefined,
          book.fields,
        );
        errors.push(...resolved.errors);
        if (errors.length || !element) return void failed.push({ request_id: requestIdOf(item, i), errors });
        changes.push({
          element,
          apply: () => {
            applyFieldValues(element, resolved.resolved);
            if (isRecord(item) && typeof item.name === 'string' && item.name) element.name = item.name;
            element.updated_at = state.nowSec();
            element.updated_by = userId;
          },
        });
      });
      // All or nothing, like the lead batch.
      if (failed.length) return validationFailed(failed);
      for (const c of changes) c.apply();
      return ok({
        _links: selfLink(req, req.path),
        _embedded: {
          elements: changes.map((c, i) => ({
            id: c.element.id,
            updated_at: c.element.updated_at,
            request_id: requestIdOf(batch.items[i], i),
          })),
        },
      });
    }),
  );

  return r;
}
