import { Router, type Request } from 'express';
import { batchBody } from '../batch.ts';
import { applyLeadPatch, checkLeadPatch, type LeadChange } from '../lead-patch.ts';
import { filterOf, listParam, pagedList } from '../pagination.ts';
import { ok, validationFailed, type Reply } from '../reply.ts';
import type { EmuLead } from '../types.ts';
import { requestIdOf, type ItemErrors } from '../validation.ts';
import { caller, idParam, selfLink, type RouteDeps } from './deps.ts';

export function leadJson(req: Request, lead: EmuLead) {
  return { ...structuredClone(lead), _links: selfLink(req, `/api/v4/leads/${lead.id}`) };
}

/** amoCRM's "missing" for a single entity: a status and no body. */
const missing = (): Reply => ({ status: 404 });

export function leadsRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { state, responder } = deps;

  r.get(
    '/api/v4/leads',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const filter = filterOf(req);
      const ids = listParam(filter.id)?.map(Number);
      const pipelines = listParam(filter.pipeline_id)?.map(Number);
      let leads = [...acc.leads.values()].filter((l) => !l.is_deleted);
      if (ids) leads = leads.filter((l) => ids.includes(l.id));
      if (pipelines) leads = leads.filter((l) => pipelines.includes(l.pipeline_id));
      leads.sort((a, b) => a.id - b.id);
      return pagedList(
        req,
        'leads',
        leads.map((l) => leadJson(req, l)),
      );
    }),
  );

  r.get(
    '/api/v4/leads/:id',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const id = idParam(req.params.id);
      const lead = id === undefined ? undefined : acc.leads.get(id);
      return lead ? ok(leadJson(req, lead)) : missing();
    }),
  );

  r.patch(
    '/api/v4/leads',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      const batch = batchBody(req.body);
      if ('reply' in batch) return batch.reply;
      const changes: LeadChange[] = [];
      const failed: ItemErrors[] = [];
      batch.items.forEach((item, i) => {
        const { errors, change } = checkLeadPatch(state, acc, item);
        if (change) changes.push(change);
        else failed.push({ request_id: requestIdOf(item, i), errors });
      });
      // All or nothing, like amoCRM: one bad item and the batch changes no lead.
      if (failed.length > 0) return validationFailed(failed);
      for (const change of changes) applyLeadPatch(state, change, userId);
      return ok({
        _links: selfLink(req, '/api/v4/leads'),
        _embedded: {
          leads: changes.map((c, i) => ({
            id: c.lead.id,
            updated_at: c.lead.updated_at,
            request_id: requestIdOf(batch.items[i], i),
            _links: selfLink(req, `/api/v4/leads/${c.lead.id}`),
          })),
        },
      });
    }),
  );

  r.patch(
    '/api/v4/leads/:id',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      const id = idParam(req.params.id);
      if (id === undefined || !acc.leads.has(id)) return missing();
      const { errors, change } = checkLeadPatch(state, acc, req.body, id);
      if (!change) return validationFailed([{ request_id: requestIdOf(req.body, 0), errors }]);
      applyLeadPatch(state, change, userId);
      return ok({ id, updated_at: change.lead.updated_at, _links: selfLink(req, `/api/v4/leads/${id}`) });
    }),
  );

  return r;
}
