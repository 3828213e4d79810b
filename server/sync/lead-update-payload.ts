import { and, desc, eq } from 'drizzle-orm';
import { leadCrmStatusOf, type CrmStatus } from '../../shared/crm-status.ts';
import { isCurrency, minorToMajorString } from '../../shared/money.ts';
import type { Account } from '../accounts/account.ts';
import type { LeadFieldCode, LeadFieldIds } from '../accounts/field-ids.ts';
import type { LeadPatchItem } from '../amocrm/endpoints/index.ts';
import { accountLanguage } from '../accounts/account-language.ts';
import { fieldLabels } from './render/field-labels.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';

/** What a lead update needs to know about its account: the field ids, the stage mapping and the language of the status labels. */
export interface LeadPatchTarget {
  accountId: number;
  fieldIds: LeadFieldIds;
  stageMapping: Partial<Record<CrmStatus, { pipelineId: number; statusId: number }>>;
  language?: string;
}

export function leadPatchTarget(account: Account): LeadPatchTarget {
  return {
    accountId: account.id,
    fieldIds: account.fieldIds,
    stageMapping: account.settings.stageMapping ?? {},
    language: accountLanguage(account),
  };
}

function fieldRef(ctx: LeadPatchTarget, code: LeadFieldCode): { field_id: number } | { field_code: string } {
  const id = ctx.fieldIds[code]?.id;
  return id !== undefined ? { field_id: id } : { field_code: code };
}

function statusValue(ctx: LeadPatchTarget, status: CrmStatus): Record<string, unknown> {
  const enumId = ctx.fieldIds.DRAMLINK_STATUS?.enums?.[status];
  return enumId !== undefined ? { enum_id: enumId } : { value: fieldLabels(ctx.language).statuses[status] };
}

/**
 * The lead's state as the CRM should show it now, read at send time (so a coalesced job always
 * carries the latest state): the CRM status over all the lead's payments (review wins, else the
 * newest), and the newest payment's amount, currency, paid-at, provider reference and link; the
 * stage when the account maps that status to one and it differs from the status last written.
 * Undefined when the lead has no payment.
 */
export type { LeadPatchItem };

export function* buildLeadPatch(
  tx: Tx,
  ctx: LeadPatchTarget,
  leadId: number,
  publicUrl: string,
  opts: { lastSyncedStatus?: CrmStatus } = {},
): Step<{ item: LeadPatchItem; status: CrmStatus } | undefined> {
  const { payments } = tx.t;
  const rows = yield* tx.all(
    tx
      .select()
      .from(payments)
      .where(and(eq(payments.accountId, ctx.accountId), eq(payments.leadId, leadId)))
      .orderBy(desc(payments.createdAt), desc(payments.id)),
  );
  const status = leadCrmStatusOf(rows.map((p) => ({ status: p.status, needsReview: p.reviewReason !== null })));
  if (!status) return undefined;
  const newest = rows[0];
  const amount = isCurrency(newest.currency)
    ? minorToMajorString(newest.amountMinor, newest.currency, { trim: true })
    : String(newest.amountMinor);
  const text = (v: string | null) => (v === null || v === '' ? null : [{ value: v }]);
  const item: LeadPatchItem = {
    id: leadId,
    custom_fields_values: [
      { ...fieldRef(ctx, 'DRAMLINK_STATUS'), values: [statusValue(ctx, status)] },
      { ...fieldRef(ctx, 'DRAMLINK_AMOUNT'), values: [{ value: amount }] },
      { ...fieldRef(ctx, 'DRAMLINK_CURRENCY'), values: [{ value: newest.currency }] },
      // Unix seconds (amoCRM accepts these or RFC 3339); null clears a stale value.
      { ...fieldRef(ctx, 'DRAMLINK_PAID_AT'), values: newest.paidAt === null ? null : [{ value: Math.floor(newest.paidAt / 1000) }] },
      { ...fieldRef(ctx, 'DRAMLINK_PROVIDER_REF'), values: text(newest.providerRef) },
      { ...fieldRef(ctx, 'DRAMLINK_LINK'), values: [{ value: `${publicUrl}/pay/${newest.linkToken}` }] },
    ],
  };
  // The stage moves when the CRM status changes, not on every update: a manager who moved the lead
  // on by hand is not pulled back by a later note-only event.
  const stage = ctx.stageMapping[status];
  if (stage && opts.lastSyncedStatus !== status) {
    item.pipeline_id = stage.pipelineId;
    item.status_id = stage.statusId;
  }
  return { item, status };
}
