import { Router, type Request } from 'express';
import { batchBody } from '../batch.ts';
import { filterOf, listParam, orderOf, pagedList, sortBy } from '../pagination.ts';
import { ok, validationFailed } from '../reply.ts';
import type { AccountState } from '../state.ts';
import type { EmuTask } from '../types.ts';
import {
  invalidType,
  isInt,
  isRecord,
  missing,
  notFound,
  notSupportedChoice,
  requestIdOf,
  validateBatch,
  type ItemError,
} from '../validation.ts';
import { caller, selfLink, type RouteDeps } from './deps.ts';

const ENTITY_TYPES = new Set(['leads', 'contacts', 'companies', 'customers']);

function checkTask(acc: AccountState, item: unknown): ItemError[] {
  if (!isRecord(item)) return [invalidType('', 'object')];
  const errors: ItemError[] = [];
  if (typeof item.text !== 'string' || item.text === '') errors.push(missing('text'));
  if (!isInt(item.complete_till)) errors.push(invalidType('complete_till', 'int'));
  if (item.entity_id !== undefined || item.entity_type !== undefined) {
    if (typeof item.entity_type !== 'string' || !ENTITY_TYPES.has(item.entity_type)) {
      errors.push(notSupportedChoice('entity_type', 'Entity type must be leads, contacts, companies or customers.'));
    } else if (!isInt(item.entity_id)) errors.push(invalidType('entity_id', 'int'));
    else if (item.entity_type === 'leads' && !acc.leads.has(item.entity_id)) {
      errors.push(notFound('entity_id', `Lead ${item.entity_id}`));
    }
  }
  if (item.task_type_id !== undefined && !acc.account.task_types.some((t) => t.id === item.task_type_id)) {
    errors.push(notSupportedChoice('task_type_id', `Task type ${String(item.task_type_id)} not found.`));
  }
  if (item.responsible_user_id !== undefined && !acc.account.users.some((u) => u.id === item.responsible_user_id)) {
    errors.push(notSupportedChoice('responsible_user_id', 'User not found.'));
  }
  return errors;
}

const taskJson = (req: Request, t: EmuTask) => ({ ...structuredClone(t), _links: selfLink(req, `/api/v4/tasks/${t.id}`) });

export function tasksRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { state, responder } = deps;

  r.get(
    '/api/v4/tasks',
    responder.route((req, res) => {
      const { acc } = caller(deps, res);
      const filter = filterOf(req);
      const entityIds = listParam(filter.entity_id)?.map(Number);
      const entityTypes = listParam(filter.entity_type);
      let tasks = acc.tasks;
      if (entityIds) tasks = tasks.filter((t) => t.entity_id !== null && entityIds.includes(t.entity_id));
      if (entityTypes) tasks = tasks.filter((t) => t.entity_type !== null && entityTypes.includes(t.entity_type));
      if (filter.is_completed !== undefined) {
        const done = ['1', 'true'].includes(String(filter.is_completed));
        tasks = tasks.filter((t) => t.is_completed === done);
      }
      const sorted = sortBy(tasks, orderOf(req, ['id', 'created_at', 'complete_till']));
      return pagedList(
        req,
        'tasks',
        sorted.map((t) => taskJson(req, t)),
      );
    }),
  );

  r.post(
    '/api/v4/tasks',
    responder.route((req, res) => {
      const { acc, userId } = caller(deps, res);
      const batch = batchBody(req.body);
      if ('reply' in batch) return batch.reply;
      const failed = validateBatch(batch.items, (item) => checkTask(acc, item));
      if (failed) return validationFailed(failed);
      const created = batch.items.map((raw, i) => {
        const item = raw as Record<string, unknown>;
        const task = state.addTask(acc, {
          text: item.text as string,
          complete_till: item.complete_till as number,
          entity_id: isInt(item.entity_id) ? item.entity_id : null,
          entity_type: typeof item.entity_type === 'string' ? item.entity_type : null,
          task_type_id: isInt(item.task_type_id) ? item.task_type_id : 1,
          responsible_user_id: isInt(item.responsible_user_id) ? item.responsible_user_id : userId,
          duration: isInt(item.duration) ? item.duration : undefined,
          userId,
        });
        return { id: task.id, request_id: requestIdOf(item, i), _links: selfLink(req, `/api/v4/tasks/${task.id}`) };
      });
      return ok({ _links: selfLink(req, '/api/v4/tasks'), _embedded: { tasks: created } });
    }),
  );
  return r;
}
