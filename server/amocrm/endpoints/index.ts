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
import { getLead, patchLeads, type Lead, type LeadPatchItem } from './leads.ts';
import { addLeadNotes, serviceNoteTexts, type NoteItem, type TextPage } from './notes.ts';
import { listPipelines, type Pipeline } from './pipelines.ts';
import { addTasks, leadTaskTexts, type TaskItem } from './tasks.ts';
import { getUserRights, listUsers, type User, type UserRights } from './users.ts';

/** amoCRM for one account: the raw `request` and one typed endpoint per resource dramlink uses. */
export interface AccountAmocrm extends AmocrmRequester {
  leads: { get(leadId: number): Promise<Lead | null>; patch(items: LeadPatchItem[]): Promise<void> };
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
    leads: { get: (id) => getLead(api, id), patch: (items) => patchLeads(api, items) },
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
