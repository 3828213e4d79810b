/**
 * BPC answers camelCase (getOrderStatusExtended) or PascalCase (legacy getOrderStatus: OrderStatus,
 * ErrorCode, OrderNumber), codes as "0" or 0: read everything through these helpers.
 */
export type ArcaBody = Record<string, unknown>;

export function pick(body: ArcaBody | undefined, key: string): unknown {
  if (!body) return undefined;
  if (body[key] !== undefined) return body[key];
  return body[key.charAt(0).toUpperCase() + key.slice(1)];
}

/** Trimmed text; "" and non-scalars are absent. */
export function text(body: ArcaBody | undefined, key: string): string | undefined {
  const value = pick(body, key);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/** A non-negative safe integer (minor units, status codes), from a number or a digit string. */
export function integer(body: ArcaBody | undefined, key: string): number | undefined {
  const value = pick(body, key);
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,16}$/.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

export function object(body: ArcaBody | undefined, key: string): ArcaBody | undefined {
  const value = pick(body, key);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ArcaBody) : undefined;
}

export function parseBody(raw: string): ArcaBody | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ArcaBody) : undefined;
  } catch {
    return undefined;
  }
}
