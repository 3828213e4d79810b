import { Router, type Request } from 'express';
import { batchBody } from '../batch.ts';
import { asFieldInput, checkFieldInput } from '../field-input.ts';
import { pagedList } from '../pagination.ts';
import { ok, problem, validationFailed } from '../reply.ts';
import type { EmuField } from '../types.ts';
import { requestIdOf, validateBatch } from '../validation.ts';
import { caller, idParam, selfLink, type RouteDeps } from './deps.ts';

const PATH = '/api/v4/leads/custom_fields';

export const fieldJson = (req: Request, f: EmuField) => ({
  ...structuredClone(f),
  _links: selfLink(req, `${PATH}/${f.id}`),
});

export function customFieldsRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { state, responder } = deps;

  r.get(
    PATH,
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const fields = [...acc.fields].sort((a, b) => a.sort - b.sort || a.id - b.id);
      return pagedList(
        req,
        'custom_fields',
        fields.map((f) => fieldJson(req, f)),
        { _total_items: fields.length },
      );
    }),
  );

  r.get(
    `${PATH}/:id`,
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const id = idParam(req.params.id);
      const field = acc.fields.find((f) => f.id === id);
      return field ? ok(fieldJson(req, field)) : { status: 404 };
    }),
  );

  r.post(
    PATH,
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      // Creating fields is admin-only in amoCRM: the install must use an admin's token.
      if (!acc.account.users.find((u) => u.id === userId)?.is_admin) return problem(403, 'Access denied');
      const batch = batchBody(req.body);
      if ('reply' in batch) return batch.reply;
      const codes = new Set<string>();
      const failed = validateBatch(batch.items, (item) => checkFieldInput(acc, item, codes));
      if (failed) return validationFailed(failed);
      const created = batch.items.map((item, i) => ({
        ...fieldJson(req, state.addField(acc, asFieldInput(item))),
        request_id: requestIdOf(item, i),
      }));
      return ok({ _total_items: created.length, _embedded: { custom_fields: created } });
    }),
  );
  return r;
}
