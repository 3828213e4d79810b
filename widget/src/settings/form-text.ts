/** A text input's value trimmed; a checkbox or a missing input reads as ''. */
export const trimmed = (v: string | boolean | undefined): string => (typeof v === 'string' ? v.trim() : '');

/** Digits only, a safe integer above zero; anything else is undefined. */
export const positiveInt = (text: string): number | undefined =>
  /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) > 0 ? Number(text) : undefined;
