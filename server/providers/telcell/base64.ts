/** Telcell carries product and issuer_id base64-encoded (standard alphabet, padded, UTF-8). */
export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Our order number back from a callback's issuer_id. We always send base64, so a value that is
 * canonical base64 of printable UTF-8 is decoded; anything else (a shop whose issuer_id Telcell
 * echoes plain, or a value we never sent) is returned as received, and the ledger's order-number
 * match decides. The checksum is verified over the received value either way.
 */
export function decodeIssuerId(value: string): string {
  const decoded = strictBase64Decode(value);
  return decoded !== undefined && isPrintable(decoded) ? decoded : value;
}

/** A '+' sent unescaped in a query string arrives as a space; base64 never contains spaces. */
export function restoreBase64Plus(value: string): string {
  return value.replace(/ /g, '+');
}

function strictBase64Decode(value: string): string | undefined {
  if (value.length === 0 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return undefined;
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return text.decode(bytes);
  } catch {
    return undefined;
  }
}

function isPrintable(text: string): boolean {
  // Control characters are exactly what this check is looking for.
  // eslint-disable-next-line no-control-regex
  return text.length > 0 && !/[\u0000-\u001f\u007f]/.test(text);
}
