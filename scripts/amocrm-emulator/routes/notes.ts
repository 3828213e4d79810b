import { Router, type Request, type Response } from 'express';
import { batchBody } from '../batch.ts';
import { CREATABLE_NOTE_TYPES } from '../defaults.ts';
import { filterOf, listParam, orderOf, pagedList, sortBy } from '../pagination.ts';
import { ok, validationFailed, type Reply } from '../reply.ts';
import type { AccountState } from '../state.ts';
import type { EmuNote } from '../types.ts';
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
import { caller, idParam, selfLink, type RouteDeps } from './deps.ts';

/** service_message needs both params (Confirmations 6); the note is useless in the card without them. */
const REQUIRED_PARAMS: Record<string, string[]> = {
  common: ['text'],
  service_message: ['service', 'text'],
  extended_service_message: ['service', 'text'],
  invoice_paid: ['service', 'text'],
  sms_in: ['text', 'phone'],
  sms_out: ['text', 'phone'],
};

function checkNote(acc: AccountState, item: unknown, entityId: number | undefined): ItemError[] {
  if (!isRecord(item)) return [invalidType('', 'object')];
  const errors: ItemError[] = [];
  const leadId = entityId ?? item.entity_id;
  if (!isInt(leadId)) errors.push(invalidType('entity_id', 'int'));
  else if (!acc.leads.has(leadId)) errors.push(notFound('entity_id', `Lead ${leadId}`));
  if (typeof item.note_type !== 'string') errors.push(missing('note_type'));
  else if (!CREATABLE_NOTE_TYPES.has(item.note_type)) {
    errors.push(notSupportedChoice('note_type', `Note type ${item.note_type} cannot be created.`));
  }
  if (!isRecord(item.params)) errors.push(invalidType('params', 'object'));
  else if (typeof item.note_type === 'string') {
    for (const p of REQUIRED_PARAMS[item.note_type] ?? []) {
      const v = item.params[p];
      if (v === undefined || v === '') errors.push(missing(`params.${p}`));
      else if (typeof v !== 'string') errors.push(invalidType(`params.${p}`, 'string'));
    }
  }
  return errors;
}

const noteJson = (req: Request, n: EmuNote) => ({
  ...structuredClone(n),
  entity_type: 'leads',
  _links: selfLink(req, `/api/v4/leads/${n.entity_id}/notes/${n.id}`),
});

export function notesRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { state, responder } = deps;

  const list = (req: Request, res: Response, entityId?: number): Reply => {
    const { acc } = caller(deps, res);
    const filter = filterOf(req);
    const entityIds = entityId !== undefined ? [entityId] : listParam(filter.entity_id)?.map(Number);
    const ids = listParam(filter.id)?.map(Number);
    const types = listParam(filter.note_type);
    let notes = acc.notes;
    if (entityIds) notes = notes.filter((n) => entityIds.includes(n.entity_id));
    if (ids) notes = notes.filter((n) => ids.includes(n.id));
    if (types) notes = notes.filter((n) => types.includes(n.note_type));
    const sorted = sortBy(notes, orderOf(req, ['id', 'created_at', 'updated_at']));
    return pagedList(
      req,
      'notes',
      sorted.map((n) => noteJson(req, n)),
    );
  };

  const create = (req: Request, res: Response, entityId?: number): Reply => {
    const { acc, userId } = caller(deps, res);
    const batch = batchBody(req.body);
    if ('reply' in batch) return batch.reply;
    const failed = validateBatch(batch.items, (item) => checkNote(acc, item, entityId));
    if (failed) return validationFailed(failed);
    const created = batch.items.map((raw, i) => {
      const item = raw as Record<string, unknown>;
      const note = state.addNote(acc, {
        entity_id: (entityId ?? item.entity_id) as number,
        note_type: item.note_type as string,
        params: item.params as Record<string, unknown>,
        userId: isInt(item.created_by) && item.created_by > 0 ? item.created_by : userId,
        responsibleUserId: isInt(item.responsible_user_id) ? item.responsible_user_id : undefined,
      });
      return {
        id: note.id,
        entity_id: note.entity_id,
        request_id: requestIdOf(item, i),
        _links: selfLink(req, `/api/v4/leads/${note.entity_id}/notes/${note.id}`),
      };
    });
    return ok({ _links: selfLink(req, '/api/v4/leads/notes'), _embedded: { notes: created } });
  };

  r.get(
    '/api/v4/leads/notes',
    responder.route((req, res) => list(req, res)),
  );
  r.post(
    '/api/v4/leads/notes',
    responder.route((req, res) => create(req, res)),
  );
  r.get(
    '/api/v4/leads/:id/notes',
    responder.route((req, res) => {
      const id = idParam(req.params.id);
      return id === undefined ? { status: 404 } : list(req, res, id);
    }),
  );
  r.post(
    '/api/v4/leads/:id/notes',
    responder.route((req, res) => {
      const id = idParam(req.params.id);
      return id === undefined ? { status: 404 } : create(req, res, id);
    }),
  );
  return r;
}
