import { eq } from 'drizzle-orm';
import type { CrmStatus } from '../../shared/crm-status.ts';
import type { Db } from '../db/database.ts';
import { accounts } from '../db/schema.ts';
import type { LeadFieldIds } from '../amocrm/lead-fields.ts';

/** What the sync worker needs to know about an account to write to its amoCRM. */
export interface SyncAccountContext {
  accountId: number;
  fieldIds: LeadFieldIds;
  stageMapping: Partial<Record<CrmStatus, { pipelineId: number; statusId: number }>>;
  taskResponsibleUserId: number | null;
}

function parse<T>(text: string, fallback: T): T {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

export function loadAccountContext(db: Pick<Db, 'select'>, accountId: number): SyncAccountContext | undefined {
  const row = db
    .select({ settings: accounts.settings, fieldIds: accounts.fieldIds, installedBy: accounts.installedBy })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  if (!row) return undefined;
  const settings = parse<{ stageMapping?: SyncAccountContext['stageMapping']; taskResponsibleUserId?: number }>(row.settings, {});
  return {
    accountId,
    fieldIds: parse<LeadFieldIds>(row.fieldIds, {}),
    stageMapping: settings.stageMapping ?? {},
    taskResponsibleUserId: settings.taskResponsibleUserId ?? row.installedBy ?? null,
  };
}
