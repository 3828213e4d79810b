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

/** What one status answer says, read once. */
interface StatusReading {
  fact: ProviderFact;
  described: string;
  code?: string;
  orderStatus: number;
  orderNumber?: string;
  currencyText?: string;
}

/**
 * getOrderStatusExtended.do (or legacy getOrderStatus.do, PascalCase) → ProviderFact.
 * errorCode may be absent when nothing went wrong, so its absence is not an error, and not success
 * either: 'paid' needs orderStatus 2 or 4, our orderNumber and a readable amount. 1 is a hold
 * (authorized, not captured): 'authorized' under the same pins when two-stage is on, and a question
 * for a person when it is not (funds held on a setup that expects one-stage). 5 (3-DS still
 * running) is not paid.
 */
export function factFromArcaOrderStatus(
  body: ArcaBody,
  attempt: AttemptRef,
  opts: { twoStage?: boolean; captureMode?: 'auto' | 'manual' } = {},
): ProviderFact {
  const r = readStatus(body, attempt);
  // Asked by an orderId we were handed (a return URL): it must be our order.
  if (r.orderNumber !== undefined && r.orderNumber !== attempt.providerOrderNo) {
    return unknownFact(r, `mismatch: the gateway order belongs to orderNumber ${r.orderNumber}, not ours (${attempt.providerOrderNo})`);
  }
  switch (r.orderStatus) {
    case 1:
      return heldFact(r, attempt, opts);
    case 2:
    case 4:
      return paidFact(r, attempt);
    case 0:
    case 5:
    case 7:
    case 8:
      return { ...r.fact, status: 'pending' };
    case 3:
      return { ...r.fact, status: 'cancelled' };
    case 6:
      return { ...r.fact, status: 'failed' };
    default:
      return unknownFact(r, 'an orderStatus the gateway does not document');
  }
}

/** Throws for an error answer; otherwise the fields every outcome reports. */
function readStatus(body: ArcaBody, attempt: AttemptRef): StatusReading {
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
  const currencyText = text(body, 'currency');
  const described = describe(body, orderStatus, amountInfo);
  const fact: ProviderFact = {
    status: 'unknown',
    rawStatus: described,
    providerOrderNo: orderNumber,
    providerPaymentId: attempt.providerPaymentId ?? mdOrderAttribute(body),
    amountMinor: integer(body, 'amount') ?? integer(amountInfo, 'approvedAmount'),
    currency: currencyText === undefined ? undefined : isCurrency(currencyText) ? currencyText : currencyFromNumeric(currencyText),
    refundedTotalMinor: integer(amountInfo, 'refundedAmount'),
    occurredAt: integer(body, 'depositedDate') ?? integer(body, 'authDateTime'),
  };
  return { fact, described, code, orderStatus, orderNumber, currencyText };
}

function describe(body: ArcaBody, orderStatus: number, amountInfo: ArcaBody | undefined): string {
  const paymentState = text(amountInfo, 'paymentState');
  const action = text(body, 'actionCode');
  const actionText = text(body, 'actionCodeDescription');
  return (
    `orderStatus ${orderStatus} (${ORDER_STATUS_NAMES[orderStatus] ?? 'undocumented'})` +
    `${paymentState ? `, paymentState ${paymentState}` : ''}${action ? `, actionCode ${action}` : ''}` +
    `${actionText ? ` "${actionText}"` : ''}`
  );
}

function unknownFact(r: StatusReading, why: string): ProviderFact {
  return { ...r.fact, status: 'unknown', rawStatus: `${r.described}: ${why}` };
}

function paidFact(r: StatusReading, attempt: AttemptRef): ProviderFact {
  const { fact, described } = r;
  if (r.code === '2') return unknownFact(r, 'a paid orderStatus with errorCode 2');
  if (r.orderNumber === undefined) return unknownFact(r, 'no orderNumber in the answer: cannot tie the payment to our order');
  if (fact.amountMinor === undefined || fact.amountMinor <= 0) return unknownFact(r, 'no readable amount in the answer');
  if (r.currencyText !== undefined && fact.currency === undefined) return unknownFact(r, `currency "${r.currencyText}" is not one we know`);
  // `currency` is optional in BPC answers (absent = the order's own). Our orderNumber pins the
  // order to our register.do call, which named the attempt's currency.
  const currency: Currency = fact.currency ?? attempt.currency;
  const rawStatus = fact.currency ? described : `${described}; currency not reported, taken from our register call`;
  return { ...fact, status: 'paid', currency, rawStatus };
}

/** orderStatus 1: the funds are held; the bank releases them after about a week unless deposit.do takes them. */
function heldFact(r: StatusReading, attempt: AttemptRef, opts: { twoStage?: boolean; captureMode?: 'auto' | 'manual' }): ProviderFact {
  if (!opts.twoStage) {
    return {
      ...unknownFact(
        r,
        'funds are only held (authorized, not captured) but two-stage is off in the settings; turn twoStage on if the bank set the merchant up for it',
      ),
      needsPerson: true,
    };
  }
  const checked = paidFact(r, attempt);
  return checked.status === 'paid' ? { ...checked, status: 'authorized', captureMode: opts.captureMode ?? 'auto' } : checked;
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
