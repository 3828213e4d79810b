/**
 * Removes secrets from anything about to be logged: OAuth tokens, passwords, provider credentials,
 * signatures and checksums, the widget's X-Auth-Token, card data. Keys are matched by name; string
 * values are also scanned for JWTs and bearer tokens, which travel inside messages and URLs.
 */
const SECRET_KEY =
  /(token|secret|password|passwd|pass$|^pass|signature|checksum|authorization|cookie|api[-_]?key|shopkey|shop_key|security_code|cvv|cvc|card_?number|^pan$|webhook-signature|edp_checksum|client_secret|refresh|access)/i;

const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const PAN = /\b\d(?:[ -]?\d){12,18}\b/g;
// Also at the very start: a form-encoded body (`password=…&userName=…`) is a query without the `?`.
const SECRET_QUERY =
  /((?:^|[?&])(?:code|token|access_token|refresh_token|signature|checksum|password|secret|EDP_CHECKSUM|security_code)=)[^&\s"]+/gi;

export const REDACTED = '[redacted]';

/** `"key": "value"` inside a JSON text (a response body logged as a string): secret keys as in objects. */
const JSON_FIELD = /"([^"\\]{1,64})"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

export function redactString(value: string): string {
  return value
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(SECRET_QUERY, `$1${REDACTED}`)
    .replace(JSON_FIELD, (m, key: string, sep: string, v: string) => (v !== '' && isSecretKey(key) ? `"${key}"${sep}"${REDACTED}"` : m))
    .replace(PAN, (m) => (m.replace(/\D/g, '').length >= 13 ? REDACTED : m));
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) {
    // A provider's own words travel beside our message (ProviderError.providerSaid): logged, never answered.
    const said = (value as { providerSaid?: unknown }).providerSaid;
    return {
      name: value.name,
      message: redactString(value.message),
      ...(typeof said === 'string' ? { providerSaid: redactString(said) } : {}),
    };
  }
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
