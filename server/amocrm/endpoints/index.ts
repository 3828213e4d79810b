import type { AmocrmCall, AmocrmRequester } from '../call.ts';
import { getAccount, type AmoAccount } from './account.ts';
import {
  createLeadFields,
  listLeadFields,
  updateLeadFields,
  type CustomField,
  type CustomFieldUpdate,
  type NewCustomField,
} from './custom-fields.ts';
import {
  elementLeadIds,
  findInvoicesCatalogId,
  getCatalogElement,
  patchCatalogElements,
  type CatalogElement,
  type CatalogElementPatch,
  type CatalogFieldValue,
} from './catalogs.ts';
import { getLead, listLeads, patchLeads, type Lead, type LeadPatchItem } from './leads.ts';
import { continueBot, runBot, type BotContinueBody } from './salesbot.ts';
import { addLeadNotes, serviceNoteTexts, type NoteItem, type TextPage } from './notes.ts';
import { listPipelines, type Pipeline } from './pipelines.ts';
import { addTasks, leadTaskTexts, type TaskItem } from './tasks.ts';
import { getUserRights, listUsers, type User, type UserRights } from './users.ts';

/** amoCRM for one account: the raw `request` and one typed endpoint per resource dramlink uses. */
export interface AccountAmocrm extends AmocrmRequester {
  leads: { get(leadId: number): Promise<Lead | null>; list(ids: number[]): Promise<Lead[]>; patch(items: LeadPatchItem[]): Promise<void> };
  invoices: {
    catalogId(): Promise<number | null>;
    get(catalogId: number, invoiceId: number): Promise<CatalogElement | null>;
    leadIds(catalogId: number, invoiceId: number): Promise<number[]>;
    patch(catalogId: number, items: CatalogElementPatch[]): Promise<void>;
  };
  salesbot: {
    continue(path: string, body: BotContinueBody): Promise<void>;
    run(input: { botId: number; leadId: number; kommo: boolean }): Promise<void>;
  };
  notes: { add(items: NoteItem[]): Promise<void>; serviceTexts(leadIds: number[], page: number): Promise<TextPage> };
  tasks: { add(items: TaskItem[]): Promise<void>; leadTexts(leadIds: number[], page: number): Promise<TextPage> };
  users: { list(): Promise<User[]>; rights(userId: number): Promise<UserRights | null> };
  pipelines: { list(): Promise<Pipeline[]> };
  customFields: {
    listLeadFields(): Promise<CustomField[]>;
    createLeadFields(fields: NewCustomField[]): Promise<CustomField[]>;
    updateLeadFields(fields: CustomFieldUpdate[]): Promise<void>;
  };
  account: { get(): Promise<AmoAccount> };
}

export function bindEndpoints(api: AmocrmRequester): AccountAmocrm {
  return {
    request: <T>(call: AmocrmCall) => api.request<T>(call),
    leads: { get: (id) => getLead(api, id), list: (ids) => listLeads(api, ids), patch: (items) => patchLeads(api, items) },
    invoices: {
      catalogId: () => findInvoicesCatalogId(api),
      get: (catalogId, id) => getCatalogElement(api, catalogId, id),
      leadIds: (catalogId, id) => elementLeadIds(api, catalogId, id),
      patch: (catalogId, items) => patchCatalogElements(api, catalogId, items),
    },
    salesbot: { continue: (path, body) => continueBot(api, path, body), run: (input) => runBot(api, input) },
    notes: { add: (items) => addLeadNotes(api, items), serviceTexts: (ids, page) => serviceNoteTexts(api, ids, page) },
    tasks: { add: (items) => addTasks(api, items), leadTexts: (ids, page) => leadTaskTexts(api, ids, page) },
    users: { list: () => listUsers(api), rights: (userId) => getUserRights(api, userId) },
    pipelines: { list: () => listPipelines(api) },
    customFields: {
      listLeadFields: () => listLeadFields(api),
      createLeadFields: (fields) => createLeadFields(api, fields),
      updateLeadFields: (fields) => updateLeadFields(api, fields),
    },
    account: { get: () => getAccount(api) },
  };
}

export type {
  AmoAccount,
  BotContinueBody,
  CatalogElement,
  CatalogElementPatch,
  CatalogFieldValue,
  CustomField,
  CustomFieldUpdate,
  Lead,
  LeadPatchItem,
  NewCustomField,
  NoteItem,
  Pipeline,
  TaskItem,
  TextPage,
  User,
  UserRights,
};
