import { currencyFromNumeric, isCurrency, type Currency } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderFact } from '../provider.ts';
import { arcaError, errorCodeOf } from './error-codes.ts';
import { integer, object, pick, text, type ArcaBody } from './fields.ts';

const ORDER_STATUS_NAMES: Record<number, string> = {
  0: 'registered, not paid',
  1: 'authorized (two-stage hold, not captured)',
  2: 'authorized and captured',
  3: 'authorization cancelled',
  4: 'refunded',
  5: '3-DS authorization in progress',
  6: 'declined',
  7: 'payment pending',
  8: 'intermediate completion',
};

/**
 * getOrderStatusExtended.do (or legacy getOrderStatus.do, PascalCase) → ProviderFact.
 * errorCode may be absent when nothing went wrong, so its absence is not an error, and not success
 * either: 'paid' needs orderStatus 1, 2 or 4, our orderNumber and a readable amount.
 * 5 (3-DS still running) is not paid.
 */
export function factFromArcaOrderStatus(body: ArcaBody, attempt: AttemptRef): ProviderFact {
  const code = errorCodeOf(body);
  const orderStatus = integer(body, 'orderStatus');
  // Legacy ErrorCode 2 ("declined: payment credentials") comes with a real OrderStatus: read it.
  if (code !== undefined && code !== '0' && !(code === '2' && orderStatus !== undefined)) {
    throw arcaError('getOrderStatusExtended', body);
  }
  if (orderStatus === undefined) {
    throw new ProviderError(
      'arca',
      'arca_bad_response',
      `getOrderStatusExtended.do answered without an orderStatus (errorCode ${code ?? 'absent'}); the status will be asked again later.`,
    );
  }

  const orderNumber = text(body, 'orderNumber');
  const amountInfo = object(body, 'paymentAmountInfo');
  const amountMinor = integer(body, 'amount') ?? integer(amountInfo, 'approvedAmount');
  const currencyText = text(body, 'currency');
  const reported: Currency | undefined =
    currencyText === undefined ? undefined : isCurrency(currencyText) ? currencyText : currencyFromNumeric(currencyText);
  const paymentState = text(amountInfo, 'paymentState');
  const action = text(body, 'actionCode');
  const described =
    `orderStatus ${orderStatus} (${ORDER_STATUS_NAMES[orderStatus] ?? 'undocumented'})` +
    `${paymentState ? `, paymentState ${paymentState}` : ''}${action ? `, actionCode ${action}` : ''}` +
    `${text(body, 'actionCodeDescription') ? ` "${text(body, 'actionCodeDescription')}"` : ''}`;

  const fact: ProviderFact = {
    status: 'unknown',
    rawStatus: described,
    providerOrderNo: orderNumber,
    providerPaymentId: attempt.providerPaymentId ?? mdOrderAttribute(body),
    amountMinor,
    currency: reported,
    refundedTotalMinor: integer(amountInfo, 'refundedAmount'),
    occurredAt: integer(body, 'depositedDate') ?? integer(body, 'authDateTime'),
  };
  const unknown = (why: string): ProviderFact => ({ ...fact, status: 'unknown', rawStatus: `${described}: ${why}` });

  // Asked by an orderId we were handed (a return URL): it must be our order.
  if (orderNumber !== undefined && orderNumber !== attempt.providerOrderNo) {
    return unknown(`mismatch: the gateway order belongs to orderNumber ${orderNumber}, not ours (${attempt.providerOrderNo})`);
  }

  switch (orderStatus) {
    case 1:
    case 2:
    case 4: {
      if (code === '2') return unknown('a paid orderStatus with errorCode 2');
      if (orderNumber === undefined) return unknown('no orderNumber in the answer: cannot tie the payment to our order');
      if (amountMinor === undefined || amountMinor <= 0) return unknown('no readable amount in the answer');
      if (currencyText !== undefined && reported === undefined) return unknown(`currency "${currencyText}" is not one we know`);
      // `currency` is optional in BPC answers (absent = the order's own). Our orderNumber pins the
      // order to our register.do call, which named the attempt's currency.
      const currency = reported ?? attempt.currency;
      let rawStatus = reported ? described : `${described}; currency not reported, taken from our register call`;
      // Held, not captured: paid for the ledger, but someone must capture it within about a week.
      if (orderStatus === 1) rawStatus = `authorized: ${rawStatus}`;
      return { ...fact, status: 'paid', currency, rawStatus };
    }
    case 0:
    case 5:
    case 7:
    case 8:
      return { ...fact, status: 'pending' };
    case 3:
      return { ...fact, status: 'cancelled' };
    case 6:
      return { ...fact, status: 'failed' };
    default:
      return unknown('an orderStatus the gateway does not document');
  }
}

/** Newer answers carry the gateway order id only as attributes: [{name:"mdOrder", value}]. */
function mdOrderAttribute(body: ArcaBody): string | undefined {
  const attributes = pick(body, 'attributes');
  if (!Array.isArray(attributes)) return undefined;
  for (const a of attributes) {
    if (a && typeof a === 'object' && (a as ArcaBody).name === 'mdOrder' && typeof (a as ArcaBody).value === 'string') {
      return (a as ArcaBody).value as string;
    }
  }
  return undefined;
}
