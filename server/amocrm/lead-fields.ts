import { randomUUID } from 'node:crypto';
import { CRM_STATUSES, type CrmStatus } from '../../shared/crm-status.ts';
import type { Account } from '../accounts/account.ts';
import { accountLanguage, toAccountLanguage, type AccountLanguage } from '../accounts/account-language.ts';
import { saveDetectedLanguage, saveFieldIds } from '../accounts/account-store.ts';
import type { LeadFieldCode, LeadFieldIds } from '../accounts/field-ids.ts';
import { acquireLease, releaseLease } from '../db/lease.ts';
import type { Store } from '../db/store.ts';
import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import { fieldLabels, FIELD_LABELS, type FieldLabels } from '../sync/render/field-labels.ts';
import type { AccountAmocrm, CustomField, CustomFieldUpdate, NewCustomField } from './endpoints/index.ts';
import { AmocrmError } from './errors.ts';
import { realSleep } from './sleep.ts';

export type { LeadFieldCode, LeadFieldIds } from '../accounts/field-ids.ts';

const FIELD_TYPES: Record<LeadFieldCode, string> = {
  DRAMLINK_STATUS: 'select',
  DRAMLINK_AMOUNT: 'numeric',
  DRAMLINK_CURRENCY: 'text',
  DRAMLINK_PAID_AT: 'date_time',
  DRAMLINK_PROVIDER_REF: 'text',
  DRAMLINK_LINK: 'url',
};

/** The dramlink lead fields, found or created by `code`, editable only through the API; names in English. */
export const LEAD_FIELDS = (Object.keys(FIELD_TYPES) as LeadFieldCode[]).map((code) => ({
  code,
  type: FIELD_TYPES[code],
  name: FIELD_LABELS.en.names[code],
}));

/** What a manager reads in the status select of an English account (other languages: server/sync/render/field-labels.ts). */
export const CRM_STATUS_LABELS: Record<CrmStatus, string> = FIELD_LABELS.en.statuses;

/** Every label a status option has had in any language, newest first (options created before codes are found by value). */
const KNOWN_LABELS = (status: CrmStatus) => [
  ...Object.values(FIELD_LABELS).map((l) => l.statuses[status]),
  ...(status === 'expired' ? ['Expired'] : []),
];

function enumMap(field: CustomField): Partial<Record<CrmStatus, number>> {
  const out: Partial<Record<CrmStatus, number>> = {};
  for (const status of CRM_STATUSES) {
    const e = field.enums?.find((x) => x.code === status) ?? field.enums?.find((x) => KNOWN_LABELS(status).includes(x.value));
    if (e) out[status] = e.id;
  }
  return out;
}

function newFields(missing: typeof LEAD_FIELDS, labels: FieldLabels): NewCustomField[] {
  return missing.map((f, i) => ({
    type: f.type,
    name: labels.names[f.code],
    code: f.code,
    is_api_only: true,
    sort: 500 + i,
    ...(f.type === 'select' ? { enums: CRM_STATUSES.map((s, j) => ({ value: labels.statuses[s], sort: (j + 1) * 10, code: s })) } : {}),
  }));
}

function idsOf(byCode: Map<string, CustomField>, logger: Logger, accountId: number): LeadFieldIds {
  const ids: LeadFieldIds = {};
  for (const f of LEAD_FIELDS) {
    const found = byCode.get(f.code);
    if (!found) throw new AmocrmError('amocrm_bad_response', `amoCRM did not return the ${f.code} field after creating it`);
    if (found.type !== f.type)
      logger.warn('amocrm: an existing lead field has another type than dramlink expects', { accountId, code: f.code, type: found.type });
    ids[f.code] = f.type === 'select' ? { id: found.id, enums: enumMap(found) } : { id: found.id };
  }
  const missingEnums = CRM_STATUSES.filter((s) => ids.DRAMLINK_STATUS?.enums?.[s] === undefined);
  if (missingEnums.length > 0)
    logger.warn('amocrm: DRAMLINK_STATUS lacks some statuses; they are written by value', { accountId, missingEnums });
  return ids;
}

/**
 * The renames that bring existing fields to `labels`: a field whose name differs, and the status
 * select when an option's label differs (every option is sent, as amoCRM deletes the ones left out;
 * our options get their code back if they lacked it). Nothing when all is in step.
 */
export function relabelUpdates(fields: Iterable<CustomField>, labels: FieldLabels): CustomFieldUpdate[] {
  const out: CustomFieldUpdate[] = [];
  for (const field of fields) {
    const code = field.code as LeadFieldCode;
    if (!(code in FIELD_TYPES)) continue;
    const update: CustomFieldUpdate = { id: field.id };
    if (field.name !== undefined && field.name !== labels.names[code]) update.name = labels.names[code];
    if (code === 'DRAMLINK_STATUS' && field.enums?.length) {
      const ours = enumMap(field);
      const enums = field.enums.map((e) => {
        const status = CRM_STATUSES.find((s) => ours[s] === e.id);
        return status
          ? { id: e.id, value: labels.statuses[status], sort: e.sort ?? 0, code: status }
          : { id: e.id, value: e.value, sort: e.sort ?? 0, ...(e.code ? { code: e.code } : {}) };
      });
      if (enums.some((e, i) => e.value !== field.enums![i].value || (e.code ?? null) !== (field.enums![i].code ?? null)))
        update.enums = enums;
    }
    if (update.name !== undefined || update.enums !== undefined) out.push(update);
  }
  return out;
}

/**
 * The account's language, detected once when nobody chose one: the installing admin's amoCRM
 * interface language (`GET /api/v4/users`, `lang`), stored as `Settings.language`. Unreadable or
 * unknown: the domain's default, not stored, so an admin still sees nothing chosen.
 */
async function languageOf(deps: LeadFieldsDeps, account: Account, amocrm: AccountAmocrm): Promise<AccountLanguage> {
  if (account.settings.language) return account.settings.language;
  try {
    const users = await amocrm.users.list();
    const lang = toAccountLanguage(users.find((u) => u.id === account.installedBy)?.lang ?? users.find((u) => u.lang)?.lang);
    if (lang) {
      await deps.store.transaction((tx) => saveDetectedLanguage(tx, account, lang, deps.clock.now()));
      deps.logger.info('amocrm: account language detected from the installing user', { accountId: account.id, language: lang });
      return lang;
    }
  } catch (err) {
    if (err instanceof AmocrmError && err.accountLevel) throw err;
    deps.logger.warn("amocrm: the installing user's language could not be read; using the domain's", {
      accountId: account.id,
      error: (err as Error).message,
    });
  }
  return accountLanguage(account);
}

/** Renames what is out of step; a refusal that is not the account's is logged, not retried on every drain. */
async function relabel(deps: LeadFieldsDeps, account: Account, amocrm: AccountAmocrm, fields: CustomField[], language: AccountLanguage) {
  const updates = relabelUpdates(fields, fieldLabels(language));
  if (updates.length === 0) return;
  try {
    await amocrm.customFields.updateLeadFields(updates);
    deps.logger.info('amocrm: lead fields relabeled', { accountId: account.id, language, fields: updates.map((u) => u.id) });
  } catch (err) {
    if (err instanceof AmocrmError && err.accountLevel) throw err;
    deps.logger.warn('amocrm: the lead fields could not be relabeled; they keep their old labels', {
      accountId: account.id,
      language,
      error: (err as Error).message,
    });
  }
}

type LeadFieldsDeps = {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Names this process in the lease row (each call adds its own suffix). */
  processId?: string;
  /** How long a call waits for another's creation before giving up (real milliseconds). */
  maxLeaseWaitMs?: number;
};

/** How long one call may hold the account's lead-field lease: a few amoCRM calls with their retries. */
export const LEAD_FIELDS_LEASE_MS = 60_000;
/** A waiter gives up sooner than the lease lasts: the install answers, the sync worker tries again before its first write. */
const MAX_LEASE_WAIT_MS = 20_000;
const LEASE_POLL_MS = 50;

/**
 * Finds the dramlink lead fields by code, creates the missing ones (admin token needed) and relabels
 * the existing ones, all in the account's language (detected first if nobody chose one), then
 * remembers their ids, the status enum ids and that language in the account's field ids. Safe to run
 * again: a second install finds what the first created; a language change only renames.
 *
 * One call at a time per account across every instance on the database (docs/architecture.md, The
 * stores): a lease row `lead-fields:<accountId>`, with a holder of its own per call so two calls in
 * one process exclude each other too. The others wait, then find what the holder created (amoCRM
 * refuses a second field with the same code); a holder that died frees it when the lease expires.
 */
export async function ensureLeadFields(deps: LeadFieldsDeps, target: { account: Account; amocrm: AccountAmocrm }): Promise<LeadFieldIds> {
  const name = `lead-fields:${target.account.id}`;
  const holder = `${deps.processId ?? process.pid}:${randomUUID()}`;
  const startedAt = Date.now();
  for (;;) {
    if (await acquireLease(deps.store, { name, holder, now: deps.clock.now(), ttlMs: LEAD_FIELDS_LEASE_MS })) {
      try {
        return await ensureUnderLease(deps, target);
      } finally {
        await releaseLease(deps.store, { name, holder });
      }
    }
    if (Date.now() - startedAt > (deps.maxLeaseWaitMs ?? MAX_LEASE_WAIT_MS)) {
      throw new AmocrmError(
        'amocrm_lead_fields_busy',
        `Another instance is creating account ${target.account.id}'s lead fields and has not finished; the sync worker tries again`,
        { retryable: true },
      );
    }
    // Another call holds the lease: wait (real time: it is another process's amoCRM calls) and try again.
    await realSleep(LEASE_POLL_MS);
  }
}

/** The work itself, by the lease holder. */
async function ensureUnderLease(deps: LeadFieldsDeps, target: { account: Account; amocrm: AccountAmocrm }): Promise<LeadFieldIds> {
  const { account, amocrm } = target;
  const language = await languageOf(deps, account, amocrm);
  const labels = fieldLabels(language);
  const existing = await amocrm.customFields.listLeadFields();
  const byCode = new Map(existing.filter((f) => f.code).map((f) => [f.code!, f]));
  const missing = LEAD_FIELDS.filter((f) => !byCode.has(f.code));
  await relabel(deps, account, amocrm, [...byCode.values()], language);
  if (missing.length > 0) {
    for (const f of await amocrm.customFields.createLeadFields(newFields(missing, labels))) if (f.code) byCode.set(f.code, f);
    deps.logger.info('amocrm: lead fields created', { accountId: account.id, codes: missing.map((f) => f.code), language });
  }
  const ids: LeadFieldIds = { ...idsOf(byCode, deps.logger, account.id), labels: language };
  await deps.store.run((tx) => saveFieldIds(tx, account, ids, deps.clock.now()));
  return ids;
}
