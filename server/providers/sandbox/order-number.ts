import { ProviderError } from '../errors.ts';

/** `sbx-{counter}`: readable in the checkout page and logs, unique per account. */
export function sandboxOrderNo(input: { counter: number }): string {
  const { counter } = input;
  if (!Number.isSafeInteger(counter) || counter <= 0) {
    throw new ProviderError('sandbox', 'sandbox_bad_counter', `order counter must be a positive integer, got ${counter}`);
  }
  return `sbx-${counter}`;
}
