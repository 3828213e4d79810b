import { md5Hex, safeEqual } from '../../crypto/hmac.ts';

/** The fields of a payment confirmation that the checksum covers, exactly as received. */
export interface IdramConfirmationFields {
  EDP_REC_ACCOUNT: string;
  EDP_AMOUNT: string;
  EDP_BILL_NO: string;
  EDP_PAYER_ACCOUNT: string;
  EDP_TRANS_ID: string;
  EDP_TRANS_DATE: string;
}

/**
 * MD5(EDP_REC_ACCOUNT:EDP_AMOUNT:SECRET_KEY:EDP_BILL_NO:EDP_PAYER_ACCOUNT:EDP_TRANS_ID:EDP_TRANS_DATE), hex.
 * Computed over the received amount string ("1900.00"), not our own formatting of it: Idram hashes
 * what it sends, and the ledger compares the amount numerically afterwards.
 */
export function idramChecksum(fields: IdramConfirmationFields, secretKey: string): string {
  return md5Hex(
    [
      fields.EDP_REC_ACCOUNT,
      fields.EDP_AMOUNT,
      secretKey,
      fields.EDP_BILL_NO,
      fields.EDP_PAYER_ACCOUNT,
      fields.EDP_TRANS_ID,
      fields.EDP_TRANS_DATE,
    ].join(':'),
  );
}

/** Case-insensitive (Idram integrations upper-case it), constant-time. */
export function isValidIdramChecksum(fields: IdramConfirmationFields, secretKey: string, received: string): boolean {
  return safeEqual(idramChecksum(fields, secretKey), received.trim().toLowerCase());
}
