import { ProviderError } from '../errors.ts';

/**
 * issuer_id is the attempt id itself: unique per attempt across accounts and database resets, and
 * base64 on the wire so its characters do not matter.
 */
export function telcellOrderNo(input: { attemptId: string }): string {
  if (!input.attemptId)
    throw new ProviderError('telcell', 'telcell_bad_attempt_id', 'an attempt id is required for a Telcell order number');
  return input.attemptId;
}
