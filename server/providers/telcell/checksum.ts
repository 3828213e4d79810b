import { md5Hex, safeEqual } from '../../crypto/hmac.ts';
import type { TelcellCallbackChecksum } from './credentials.ts';

/** PostInvoice: MD5(shop_key + issuer + currency + price + product + issuer_id + valid_days), over the base64 values. */
export function postInvoiceSecurityCode(
  shopKey: string,
  f: { issuer: string; currency: string; price: string; product: string; issuer_id: string; valid_days: string },
): string {
  return md5Hex(shopKey + f.issuer + f.currency + f.price + f.product + f.issuer_id + f.valid_days);
}

/** check_bill: MD5(shop_key + shop_id + invoice). */
export function checkBillChecksum(shopKey: string, shopId: string, invoice: string): string {
  return md5Hex(shopKey + shopId + invoice);
}

/** The received parameter names each formula concatenates after shop_key, in order. */
export const CALLBACK_CHECKSUM_FIELDS: Record<TelcellCallbackChecksum, readonly string[]> = {
  invoice: ['invoice', 'issuer_id', 'payment_id', 'currency', 'sum', 'time', 'status'],
  invoice_buyer: ['invoice_id', 'issuer_id', 'payment_id', 'buyer', 'currency', 'sum', 'time', 'status'],
};

export function callbackChecksum(formula: TelcellCallbackChecksum, shopKey: string, params: Record<string, string>): string {
  return md5Hex(shopKey + CALLBACK_CHECKSUM_FIELDS[formula].map((name) => params[name] ?? '').join(''));
}

/** Constant-time, case-insensitive hex comparison. */
export function isValidCallbackChecksum(
  formula: TelcellCallbackChecksum,
  shopKey: string,
  params: Record<string, string>,
  received: string,
): boolean {
  return safeEqual(callbackChecksum(formula, shopKey, params), received.trim().toLowerCase());
}
