/**
 * A provider's answer, flattened and cut, for the server log (ProviderError.providerSaid,
 * RefundResult.providerSaid). Never put it in a message: no provider text reaches the widget or a
 * customer, it could carry anything (an internal page, a reflected secret, markup).
 */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
