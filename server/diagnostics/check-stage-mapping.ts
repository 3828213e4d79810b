import type { Pipeline } from '../amocrm/endpoints/index.ts';
import { describe, fail, pass, type Check, type CheckContext } from './check.ts';

/** Every stage the settings map a CRM status to is a stage of a pipeline of the account. */
export async function checkStageMapping(c: CheckContext): Promise<Check> {
  const mapping = Object.entries(c.account.settings.stageMapping ?? {}).filter(([, t]) => t);
  if (mapping.length === 0) return pass('stage_mapping', 'no CRM status is mapped to a pipeline stage (leads keep their stage)');
  if ('unavailable' in c.amocrm)
    return fail('stage_mapping', `not checked: ${c.amocrm.unavailable}`, 'Run doctor again once amoCRM can be called.');
  let pipelines: Pipeline[];
  try {
    pipelines = await c.amocrm.pipelines.list();
  } catch (err) {
    return fail('stage_mapping', `amoCRM did not list the pipelines: ${describe(err)}`, 'Check the installing user’s rights.');
  }
  const broken = mapping.filter(([, t]) => !pipelines.find((p) => p.id === t!.pipelineId)?.statuses.some((s) => s.id === t!.statusId));
  if (broken.length === 0) return pass('stage_mapping', `${mapping.length} mapped stage(s) exist`);
  return fail(
    'stage_mapping',
    broken.map(([status, t]) => `${status} → pipeline ${t!.pipelineId} stage ${t!.statusId} does not exist`).join('; '),
    'An admin picks the stages again in the widget settings (a pipeline or stage was deleted or moved).',
  );
}
