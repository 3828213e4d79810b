import { applyFieldValues, resolveFieldValues, type ResolvedFieldValue } from './custom-field-values.ts';
import { LOST_STATUS_ID, WON_STATUS_ID } from './defaults.ts';
import type { AccountState, EmulatorState } from './state.ts';
import type { EmuLead } from './types.ts';
import { invalidType, isInt, isRecord, notFound, notSupportedChoice, type ItemError } from './validation.ts';

export interface LeadChange {
  lead: EmuLead;
  name?: string;
  price?: number;
  pipelineId?: number;
  statusId?: number;
  responsibleUserId?: number;
  fields: ResolvedFieldValue[];
}

/**
 * Checks one PATCH item without touching the lead, so a batch can be rejected as a whole.
 * `leadId` is the path id of `PATCH /leads/:id`; the batch form takes it from the item.
 */
export function checkLeadPatch(
  state: EmulatorState,
  acc: AccountState,
  item: unknown,
  leadId?: number,
): { errors: ItemError[]; change?: LeadChange } {
  if (!isRecord(item)) return { errors: [invalidType('', 'object')] };
  const id = leadId ?? item.id;
  if (!isInt(id)) return { errors: [invalidType('id', 'int')] };
  const lead = acc.leads.get(id);
  if (!lead) return { errors: [notFound('id', `Lead ${id}`)] };

  const errors: ItemError[] = [];
  const change: LeadChange = { lead, fields: [] };
  if (item.name !== undefined) {
    if (typeof item.name !== 'string') errors.push(invalidType('name', 'string'));
    else change.name = item.name;
  }
  if (item.price !== undefined) {
    // amoCRM's price is an integer; a float here is a units bug in the caller.
    if (!isInt(item.price) || item.price < 0) errors.push(invalidType('price', 'int'));
    else change.price = item.price;
  }
  if (item.responsible_user_id !== undefined) {
    if (!acc.account.users.some((u) => u.id === item.responsible_user_id)) {
      errors.push(notSupportedChoice('responsible_user_id', 'User not found.'));
    } else change.responsibleUserId = item.responsible_user_id as number;
  }
  errors.push(...checkStage(state, acc, lead, item, change));
  if (item.custom_fields_values !== undefined) {
    const { errors: fieldErrors, resolved } = resolveFieldValues(state, acc, item.custom_fields_values);
    errors.push(...fieldErrors);
    change.fields = resolved;
  }
  return errors.length > 0 ? { errors } : { errors, change };
}

/**
 * pipeline_id alone moves the lead to that pipeline's first stage; status_id alone is looked up in
 * the lead's pipeline first (142/143 exist in all of them), then in the others.
 */
function checkStage(
  state: EmulatorState,
  acc: AccountState,
  lead: EmuLead,
  item: Record<string, unknown>,
  change: LeadChange,
): ItemError[] {
  const { pipeline_id: pid, status_id: sid } = item;
  if (pid === undefined && sid === undefined) return [];
  if (pid !== undefined && !isInt(pid)) return [invalidType('pipeline_id', 'int')];
  if (sid !== undefined && !isInt(sid)) return [invalidType('status_id', 'int')];
  const pipeline = state.pipeline(acc, (pid as number | undefined) ?? lead.pipeline_id);
  if (!pipeline) return [notFound('pipeline_id', `Pipeline ${String(pid)}`)];
  if (sid === undefined) {
    if (pipeline.id !== lead.pipeline_id) {
      change.pipelineId = pipeline.id;
      change.statusId = state.firstStatus(pipeline).id;
    }
    return [];
  }
  if (pipeline.statuses.some((s) => s.id === sid)) {
    change.pipelineId = pipeline.id;
    change.statusId = sid as number;
    return [];
  }
  if (pid === undefined) {
    const other = acc.account.pipelines.find((p) => p.statuses.some((s) => s.id === sid));
    if (other) {
      change.pipelineId = other.id;
      change.statusId = sid as number;
      return [];
    }
  }
  return [notSupportedChoice('status_id', `Status ${String(sid)} is not in pipeline ${pipeline.id}.`)];
}

export function applyLeadPatch(state: EmulatorState, change: LeadChange, userId: number): void {
  const { lead } = change;
  if (change.name !== undefined) lead.name = change.name;
  if (change.price !== undefined) lead.price = change.price;
  if (change.responsibleUserId !== undefined) lead.responsible_user_id = change.responsibleUserId;
  if (change.pipelineId !== undefined) lead.pipeline_id = change.pipelineId;
  if (change.statusId !== undefined) {
    const closing = change.statusId === WON_STATUS_ID || change.statusId === LOST_STATUS_ID;
    if (closing && lead.status_id !== change.statusId) lead.closed_at = state.nowSec();
    if (!closing) lead.closed_at = null;
    lead.status_id = change.statusId;
  }
  applyFieldValues(lead, change.fields);
  lead.updated_at = state.nowSec();
  lead.updated_by = userId;
}
