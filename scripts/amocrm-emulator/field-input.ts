import { ENUM_FIELD_TYPES, type AccountState } from './state.ts';
import type { FieldInput, FieldType } from './types.ts';
import { invalidType, isInt, isRecord, missing, notSupportedChoice, type ItemError } from './validation.ts';

const FIELD_TYPES = new Set<FieldType>([
  'text',
  'numeric',
  'checkbox',
  'select',
  'multiselect',
  'date',
  'url',
  'textarea',
  'radiobutton',
  'streetaddress',
  'smart_address',
  'birthday',
  'legal_entity',
  'date_time',
  'price',
  'category',
  'items',
  'tracking_data',
  'linked_entity',
  'chained_list',
  'monetary',
  'file',
  'payer',
  'supplier',
]);

/**
 * Checks one field to create (code, is_api_only, enums, date_time: https://developers.kommo.com/reference/add-custom-fields). `batchCodes` holds the codes of earlier
 * items in the same request: two new fields with one code are as wrong as a clash with an old one.
 */
export function checkFieldInput(acc: AccountState, item: unknown, batchCodes: Set<string>): ItemError[] {
  if (!isRecord(item)) return [invalidType('', 'object')];
  const errors: ItemError[] = [];
  if (typeof item.type !== 'string' || !FIELD_TYPES.has(item.type as FieldType)) {
    errors.push(notSupportedChoice('type', `Field type ${String(item.type)} is not supported.`));
  }
  if (typeof item.name !== 'string' || item.name.trim() === '') errors.push(missing('name'));
  if (item.code !== undefined && item.code !== null) {
    if (typeof item.code !== 'string' || !/^[A-Za-z0-9_]+$/.test(item.code)) {
      errors.push(invalidType('code', 'string of letters, digits and _'));
    } else if (batchCodes.has(item.code) || acc.fields.some((f) => f.code === item.code)) {
      errors.push({ code: 'NotUnique', path: 'code', detail: `A field with code ${item.code} already exists.` });
    } else batchCodes.add(item.code);
  }
  if (item.is_api_only !== undefined && typeof item.is_api_only !== 'boolean') {
    errors.push(invalidType('is_api_only', 'bool'));
  }
  if (item.sort !== undefined && !isInt(item.sort)) errors.push(invalidType('sort', 'int'));
  if (typeof item.type === 'string' && ENUM_FIELD_TYPES.has(item.type)) errors.push(...checkEnums(item.enums));
  return errors;
}

/** Enums need a value and a sort (the docs make both required); codes are optional but unique. */
function checkEnums(enums: unknown): ItemError[] {
  if (enums === undefined) return [];
  if (!Array.isArray(enums)) return [invalidType('enums', 'array')];
  const errors: ItemError[] = [];
  const codes = new Set<string>();
  enums.forEach((e, i) => {
    if (!isRecord(e)) return errors.push(invalidType(`enums.${i}`, 'object'));
    if (typeof e.value !== 'string' || e.value === '') errors.push(missing(`enums.${i}.value`));
    if (!isInt(e.sort)) errors.push(missing(`enums.${i}.sort`));
    if (e.code !== undefined && e.code !== null) {
      if (typeof e.code !== 'string') errors.push(invalidType(`enums.${i}.code`, 'string'));
      else if (codes.has(e.code)) errors.push({ code: 'NotUnique', path: `enums.${i}.code`, detail: 'Duplicate enum code.' });
      else codes.add(e.code);
    }
  });
  return errors;
}

export const asFieldInput = (item: unknown) => item as FieldInput;
