import { Router, type Request } from 'express';
import { batchBody } from '../batch.ts';
import { asFieldInput, checkFieldInput } from '../field-input.ts';
import { pagedList } from '../pagination.ts';
import { ok, problem, validationFailed } from '../reply.ts';
import type { EmuField } from '../types.ts';
import type { AccountState } from '../state.ts';
import { invalidType, isInt, isRecord, missing, notFound, requestIdOf, validateBatch, type ItemError } from '../validation.ts';
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

  r.patch(
    PATH,
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      if (!acc.account.users.find((u) => u.id === userId)?.is_admin) return problem(403, 'Access denied');
      const batch = batchBody(req.body);
      if ('reply' in batch) return batch.reply;
      const failed = validateBatch(batch.items, (item) => checkFieldUpdate(acc, item));
      if (failed) return validationFailed(failed);
      const updated = batch.items.map((item, i) => {
        const u = item as { id: number; name?: string; enums?: Array<{ id?: number; value: string; sort: number; code?: string }> };
        const field = acc.fields.find((f) => f.id === u.id)!;
        return { ...fieldJson(req, state.updateField(acc, field, u)), request_id: requestIdOf(item, i) };
      });
      return ok({ _total_items: updated.length, _embedded: { custom_fields: updated } });
    }),
  );
  return r;
}

/** An update names an existing field; its options, when sent, each need a value and a sort (an id keeps the option). */
function checkFieldUpdate(acc: AccountState, item: unknown): ItemError[] {
  if (!isRecord(item)) return [invalidType('', 'object')];
  const field = isInt(item.id) ? acc.fields.find((f) => f.id === item.id) : undefined;
  if (!field) return [notFound('id', 'custom field')];
  const errors: ItemError[] = [];
  if (item.name !== undefined && (typeof item.name !== 'string' || item.name.trim() === '')) errors.push(missing('name'));
  if (item.enums !== undefined) {
    if (!Array.isArray(item.enums) || !field.enums) return [...errors, invalidType('enums', 'array of a select field')];
    item.enums.forEach((e: unknown, i: number) => {
      if (!isRecord(e) || typeof e.value !== 'string' || e.value === '') errors.push(missing(`enums.${i}.value`));
      else if (!isInt(e.sort)) errors.push(missing(`enums.${i}.sort`));
      else if (e.id !== undefined && !field.enums!.some((x) => x.id === e.id)) errors.push(notFound(`enums.${i}.id`, 'enum'));
    });
  }
  return errors;
}
