import type { AccountInput, EmuTaskType, PipelineInput } from './types.ts';

/** amoCRM's fixed ids for the closing stages, the same in every pipeline. */
export const WON_STATUS_ID = 142;
export const LOST_STATUS_ID = 143;

/** What a fresh amoCRM account's main pipeline looks like (type 1 = "unsorted" stage). */
export const DEFAULT_STATUSES: NonNullable<PipelineInput['statuses']> = [
  { name: 'Неразобранное', sort: 10, type: 1 },
  { name: 'Первичный контакт', sort: 20, type: 0 },
  { name: 'Переговоры', sort: 30, type: 0 },
  { name: 'Принимают решение', sort: 40, type: 0 },
  { name: 'Согласование договора', sort: 50, type: 0 },
];

export const DEFAULT_PIPELINES: PipelineInput[] = [{ name: 'Воронка', is_main: true }];

export const DEFAULT_USERS: NonNullable<AccountInput['users']> = [
  { name: 'Admin', is_admin: true },
  { name: 'Manager', is_admin: false },
];

/** Task types 1 and 2 exist in every account (https://www.amocrm.com/developers/content/api/tasks/). */
export const DEFAULT_TASK_TYPES: EmuTaskType[] = [
  { id: 1, name: 'Связаться', code: 'FOLLOW_UP' },
  { id: 2, name: 'Встреча', code: 'MEETING' },
];

export const CURRENCY_SYMBOLS: Record<string, string> = { AMD: '֏', RUB: '₽', USD: '$', EUR: '€' };

/** Note types an integration may create (https://developers.kommo.com/reference/notes-types), plus the undocumented invoice_paid. */
export const CREATABLE_NOTE_TYPES = new Set([
  'common',
  'call_in',
  'call_out',
  'service_message',
  'message_cashier',
  'geolocation',
  'sms_in',
  'sms_out',
  'extended_service_message',
  'attachment',
  'invoice_paid',
]);

/** amoCRM's general cap on entities per create/update request (Confirmations 2). */
export const MAX_BATCH = 250;
