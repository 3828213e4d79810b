/** One entry of amoCRM's `validation-errors[].errors[]`. */
export interface ItemError {
  code: string;
  path: string;
  detail: string;
}

/** One entry of amoCRM's `validation-errors[]`: a batch item and what is wrong with it. */
export interface ItemErrors {
  request_id: string;
  errors: ItemError[];
}

/** amoCRM correlates batch items by the request_id the client sent, else by index. */
export function requestIdOf(item: unknown, index: number): string {
  if (item && typeof item === 'object' && 'request_id' in item) {
    const rid = (item as { request_id?: unknown }).request_id;
    if (typeof rid === 'string' || typeof rid === 'number') return String(rid);
  }
  return String(index);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export const invalidType = (path: string, expected: string): ItemError => ({
  code: 'InvalidType',
  path,
  detail: `This value should be of type ${expected}.`,
});

export const missing = (path: string): ItemError => ({
  code: 'FieldMissing',
  path,
  detail: 'This field is missing.',
});

export const notFound = (path: string, what: string): ItemError => ({
  code: 'NotFound',
  path,
  detail: `${what} not found.`,
});

export const notSupportedChoice = (path: string, detail: string): ItemError => ({
  code: 'NotSupportedChoice',
  path,
  detail,
});

/**
 * Validates every item of a batch, collecting the errors of all bad items the way amoCRM lists
 * them. Returns null when the whole batch is valid, so callers can apply all-or-nothing.
 */
export function validateBatch(items: unknown[], check: (item: unknown, index: number) => ItemError[]): ItemErrors[] | null {
  const failed: ItemErrors[] = [];
  items.forEach((item, i) => {
    const errors = check(item, i);
    if (errors.length > 0) failed.push({ request_id: requestIdOf(item, i), errors });
  });
  return failed.length > 0 ? failed : null;
}
