import type { AccountState, EmulatorState } from './state.ts';
import type { EmuField, EmuFieldValue, EmuFieldValueItem, EmuLead } from './types.ts';
import { invalidType, isInt, isRecord, missing, notSupportedChoice, type ItemError } from './validation.ts';

export interface ResolvedFieldValue {
  field: EmuField;
  /** null clears the field. */
  values: EmuFieldValueItem[] | null;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;
const SINGLE_CHOICE = new Set(['select', 'radiobutton']);
const MULTI_CHOICE = new Set(['multiselect', 'category']);

type Checked = { error: ItemError; stored?: undefined } | { error?: undefined; stored: EmuFieldValueItem };

/** A select value may name its enum by id, code or text, as amoCRM accepts
 * (https://developers.kommo.com/reference/custom-fields). */
function checkChoice(field: EmuField, v: Record<string, unknown>, path: string): Checked {
  const enums = field.enums ?? [];
  let key: string;
  let found;
  if (v.enum_id !== undefined) {
    key = 'enum_id';
    found = enums.find((e) => e.id === v.enum_id);
  } else if (v.enum_code !== undefined) {
    key = 'enum_code';
    found = enums.find((e) => e.code !== null && e.code === v.enum_code);
  } else if (v.value !== undefined) {
    key = 'value';
    found = enums.find((e) => e.value === v.value);
  } else {
    return { error: missing(`${path}.value`) };
  }
  if (!found) {
    return {
      error: notSupportedChoice(`${path}.${key}`, `The value you selected is not a valid choice for field ${field.id}.`),
    };
  }
  return { stored: { value: found.value, enum_id: found.id, enum_code: found.code } };
}

/** Date fields take a Unix timestamp or RFC 3339 and answer Unix timestamps (Confirmations 7). */
function checkDate(v: unknown, path: string): Checked {
  if (isInt(v)) return { stored: { value: v } };
  if (typeof v === 'string' && /^\d+$/.test(v)) return { stored: { value: Number(v) } };
  if (typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v))) {
    return { stored: { value: Math.floor(Date.parse(v) / 1000) } };
  }
  return { error: invalidType(path, 'Unix timestamp or RFC 3339 date') };
}

function checkValue(field: EmuField, v: unknown, path: string): Checked {
  if (!isRecord(v)) return { error: invalidType(path, 'object') };
  if (SINGLE_CHOICE.has(field.type) || MULTI_CHOICE.has(field.type)) return checkChoice(field, v, path);
  const value = v.value;
  const vpath = `${path}.value`;
  if (value === undefined) return { error: missing(vpath) };
  switch (field.type) {
    case 'numeric':
    case 'price':
    case 'monetary':
      if ((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && NUMERIC.test(value))) {
        return { stored: { value } };
      }
      return { error: invalidType(vpath, 'numeric') };
    case 'checkbox':
      return typeof value === 'boolean' ? { stored: { value } } : { error: invalidType(vpath, 'bool') };
    case 'date':
    case 'date_time':
    case 'birthday':
      return checkDate(value, vpath);
    case 'text':
    case 'textarea':
    case 'url':
    case 'streetaddress':
      return typeof value === 'string' || typeof value === 'number' ? { stored: { value } } : { error: invalidType(vpath, 'string') };
    default:
      return { stored: { value } };
  }
}

/**
 * Checks `custom_fields_values` of one batch item against the account's fields. Returns every
 * error (so the 400 names them all) and, when there are none, what to store.
 */
export function resolveFieldValues(
  state: EmulatorState,
  acc: AccountState,
  input: unknown,
  base = 'custom_fields_values',
  /** Another entity's fields (a catalog's); default the account's lead fields. */
  fields?: EmuField[],
): { errors: ItemError[]; resolved: ResolvedFieldValue[] } {
  const find = (ref: { id?: unknown; code?: unknown }) =>
    fields
      ? ref.id !== undefined
        ? fields.find((f) => f.id === ref.id)
        : fields.find((f) => f.code !== null && f.code === ref.code)
      : state.findField(acc, ref);
  const errors: ItemError[] = [];
  const resolved: ResolvedFieldValue[] = [];
  if (input === null) return { errors, resolved };
  if (!Array.isArray(input)) return { errors: [invalidType(base, 'array')], resolved };
  input.forEach((entry, i) => {
    const path = `${base}.${i}`;
    if (!isRecord(entry)) {
      errors.push(invalidType(path, 'object'));
      return;
    }
    const byId = entry.field_id !== undefined;
    if (!byId && entry.field_code === undefined) {
      errors.push(missing(`${path}.field_id`));
      return;
    }
    const field = byId ? find({ id: entry.field_id }) : find({ code: entry.field_code });
    if (!field) {
      const key = byId ? 'field_id' : 'field_code';
      errors.push(notSupportedChoice(`${path}.${key}`, `Field ${String(entry[key])} not found.`));
      return;
    }
    if (byId && entry.field_code !== undefined && entry.field_code !== field.code) {
      errors.push(notSupportedChoice(`${path}.field_code`, `Field code does not match field ${field.id}.`));
      return;
    }
    if (entry.values === null || (Array.isArray(entry.values) && entry.values.length === 0)) {
      resolved.push({ field, values: null });
      return;
    }
    if (!Array.isArray(entry.values)) {
      errors.push(invalidType(`${path}.values`, 'array'));
      return;
    }
    if (SINGLE_CHOICE.has(field.type) && entry.values.length > 1) {
      errors.push(notSupportedChoice(`${path}.values`, `Field ${field.id} takes one value.`));
      return;
    }
    const stored: EmuFieldValueItem[] = [];
    entry.values.forEach((v, j) => {
      const checked = checkValue(field, v, `${path}.values.${j}`);
      if (checked.error) errors.push(checked.error);
      else stored.push(checked.stored);
    });
    resolved.push({ field, values: stored });
  });
  return { errors, resolved };
}

/** Setting a field replaces its values; other fields stay as they were (amoCRM semantics). */
export function applyFieldValues(lead: Pick<EmuLead, 'custom_fields_values'>, resolved: ResolvedFieldValue[]): void {
  let current: EmuFieldValue[] = lead.custom_fields_values ?? [];
  for (const { field, values } of resolved) {
    current = current.filter((v) => v.field_id !== field.id);
    if (values) {
      current.push({
        field_id: field.id,
        field_name: field.name,
        field_code: field.code,
        field_type: field.type,
        values: structuredClone(values),
      });
    }
  }
  lead.custom_fields_values = current.length > 0 ? current : null;
}
