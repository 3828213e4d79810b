export { telcellProvider } from './provider.ts';
export {
  telcellCredentialsSchema,
  TELCELL_CALLBACK_CHECKSUMS,
  type TelcellCallbackChecksum,
  type TelcellCredentials,
} from './credentials.ts';
export { callbackChecksum, checkBillChecksum, postInvoiceSecurityCode, CALLBACK_CHECKSUM_FIELDS } from './checksum.ts';
export { decodeIssuerId, toBase64 } from './base64.ts';
export { parseKeyValueLines } from './query-status.ts';
