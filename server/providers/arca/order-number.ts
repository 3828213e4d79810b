import { sha256Hex } from '../../crypto/hmac.ts';

export const ARCA_ORDER_NUMBER_MAX = 32;
const PREFIX = 'drl';

/**
 * orderNumber must be unique per merchant (a repeat is refused with errorCode 1) and, on EPG,
 * alphanumeric and at most 32 chars. An alphanumeric attempt id that fits is used as is (readable
 * in the bank's portal); anything else is hashed, since stripping or truncating could make two
 * attempt ids collide. Deterministic: the same attempt always gets the same number.
 */
export function arcaOrderNo(input: { attemptId: string }): string {
  const { attemptId } = input;
  if (/^[A-Za-z0-9]+$/.test(attemptId) && PREFIX.length + attemptId.length <= ARCA_ORDER_NUMBER_MAX) {
    return `${PREFIX}${attemptId}`;
  }
  return `${PREFIX}${sha256Hex(attemptId).slice(0, ARCA_ORDER_NUMBER_MAX - PREFIX.length)}`;
}
