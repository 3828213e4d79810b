import { CRM_STATUSES } from '../../../shared/crm-status.ts';
import type { FormValues } from '../dom.ts';
import { positiveInt, trimmed } from './form-text.ts';
import type { StageTarget } from './settings-types.ts';

/**
 * The pipeline stage each CRM status moves the lead to: both ids or neither. Errors are added to
 * `errors` by input name; statuses left empty are not mapped (the lead is not moved).
 */
export function readStageMapping(v: FormValues, errors: Record<string, string>): Record<string, StageTarget> {
  const stageMapping: Record<string, StageTarget> = {};
  for (const status of CRM_STATUSES) {
    const pText = trimmed(v[`map.${status}.pipelineId`]);
    const sText = trimmed(v[`map.${status}.statusId`]);
    if (!pText && !sText) continue;
    const pipelineId = positiveInt(pText);
    const statusId = positiveInt(sText);
    if (!pText || !sText) errors[`map.${status}.${pText ? 'statusId' : 'pipelineId'}`] = 'setup.pair';
    else if (pipelineId === undefined) errors[`map.${status}.pipelineId`] = 'setup.integer';
    else if (statusId === undefined) errors[`map.${status}.statusId`] = 'setup.integer';
    else stageMapping[status] = { pipelineId, statusId };
  }
  return stageMapping;
}
