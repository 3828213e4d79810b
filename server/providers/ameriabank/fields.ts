/**
 * Ameriabank answers with "" for absent values and mixes int and string codes (ResponseCode 1 vs
 * "00"): everything is read through these helpers as trimmed text or undefined.
 */
export type AmeriabankBody = Record<string, unknown>;

export function field(body: AmeriabankBody | undefined, key: string): string | undefined {
  if (!body) return undefined;
  let value = body[key];
  if (value === undefined) {
    // GetPaymentId answers `PaymentId` where InitPayment says `PaymentID`.
    const lower = key.toLowerCase();
    const found = Object.keys(body).find((k) => k.toLowerCase() === lower);
    value = found === undefined ? undefined : body[found];
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return undefined;
}

export function parseBody(text: string): AmeriabankBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as AmeriabankBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `ResponseCode X` for error texts: the code only when it is a number, never the bank's message
 * (that is what the bank said: it goes to the log, see bankSaid), never request data.
 */
export function describeCode(body: AmeriabankBody | undefined): string {
  const code = field(body, 'ResponseCode');
  return `ResponseCode ${code !== undefined && /^-?\d{1,6}$/.test(code) ? code : '(none)'}`;
}

/** The bank's own message (ResponseMessage or Message), for the log only. */
export function bankSaid(body: AmeriabankBody | undefined): string | undefined {
  return field(body, 'ResponseMessage') ?? field(body, 'Message');
}
