import { CRM_STATUSES } from '../../shared/crm-status.ts';
import type { CustomField } from '../amocrm/endpoints/index.ts';
import { CRM_STATUS_LABELS, LEAD_FIELDS } from '../amocrm/lead-fields.ts';
import { describe, fail, pass, type Check, type CheckContext } from './check.ts';

/** What is wrong with the account's dramlink lead fields, one phrase each (empty: all as expected). */
export function leadFieldProblems(fields: readonly CustomField[]): string[] {
  const problems: string[] = [];
  for (const spec of LEAD_FIELDS) {
    const found = fields.find((f) => f.code === spec.code);
    if (!found) problems.push(`${spec.code} is missing`);
    else if (found.type !== spec.type) problems.push(`${spec.code} is a ${found.type} field, not ${spec.type}`);
  }
  const status = fields.find((f) => f.code === 'DRAMLINK_STATUS');
  if (status) {
    const missing = CRM_STATUSES.filter((s) => !status.enums?.some((e) => e.code === s || e.value === CRM_STATUS_LABELS[s]));
    if (missing.length) problems.push(`DRAMLINK_STATUS lacks the options ${missing.join(', ')}`);
  }
  return problems;
}

/** The six DRAMLINK_* lead fields exist with their types, and the status select has an option per CRM status. */
export async function checkLeadFields(c: CheckContext): Promise<Check> {
  if ('unavailable' in c.amocrm)
    return fail('lead_fields', `not checked: ${c.amocrm.unavailable}`, 'Run doctor again once amoCRM can be called.');
  let fields: CustomField[];
  try {
    fields = await c.amocrm.customFields.listLeadFields();
  } catch (err) {
    return fail(
      'lead_fields',
      `amoCRM did not list the lead fields: ${describe(err)}`,
      'Check that the installing user is an admin (installer_rights).',
    );
  }
  const problems = leadFieldProblems(fields);
  if (problems.length === 0)
    return pass('lead_fields', `${LEAD_FIELDS.map((f) => f.code).join(', ')} present, with the ${CRM_STATUSES.length} status options`);
  return fail(
    'lead_fields',
    problems.join('; '),
    'A missing field is created by the server before its next write (it needs an admin token); a field of another type with the same code must be renamed or deleted in amoCRM first.',
  );
}
