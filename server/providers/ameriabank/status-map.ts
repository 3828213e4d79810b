import { currencyFromNumeric, isCurrency, majorToMinor, type Currency } from '../../../shared/money.ts';
import { ProviderError } from '../errors.ts';
import type { AttemptRef, ProviderFact } from '../provider.ts';
import { field, type AmeriabankBody } from './fields.ts';

/** Ameriabank vPOS 3.1 OrderStatus codes (GetPaymentDetails), with the bank's own names. */
const ORDER_STATUS_NAMES: Record<string, string> = {
  '0': 'payment_started',
  '1': 'payment_approved',
  '2': 'payment_deposited',
  '3': 'payment_void',
  '4': 'payment_refunded',
  '5': 'payment_autoauthorized',
  '6': 'payment_declined',
};

/** What one GetPaymentDetails answer says, read once. */
interface DetailsReading {
  fact: ProviderFact;
  described: string;
  responseCode?: string;
  orderStatus?: string;
  orderId?: string;
  opaque?: string;
  currencyText?: string;
  approved?: string;
}

/**
 * GetPaymentDetails → ProviderFact. The answer is unsigned data about whatever PaymentID we were
 * handed (possibly from an attacker's return URL), so it becomes 'paid' only when every pin holds:
 * ResponseCode "00", OrderStatus 2 (4 = was paid, then refunded), OrderID equal to ours, Opaque (if
 * echoed) equal to our attempt id, and a readable amount and currency. OrderStatus 1 on a two-stage
 * ClientID is 'authorized' (funds held, not taken) under the same pins: it becomes paid only when
 * the bank reports the capture (2). Anything contradictory is 'unknown' with the reason in
 * rawStatus; the ledger then compares amount and currency.
 */
export function factFromPaymentDetails(
  body: AmeriabankBody,
  attempt: AttemptRef,
  paymentId: string,
  opts: { twoStage: boolean; captureMode?: 'auto' | 'manual' },
): ProviderFact {
  if (field(body, 'ResponseCode') === '20') {
    throw new ProviderError(
      'ameriabank',
      'ameriabank_auth_failed',
      'GetPaymentDetails: ResponseCode 20, wrong username or password; check the Ameriabank settings.',
    );
  }
  const reading = readDetails(body, attempt, paymentId);
  const { orderStatus } = reading;
  const mismatch = ownershipMismatch(reading, attempt);
  if (mismatch) return unknownFact(reading, mismatch);
  if (orderStatus === '1' && opts.twoStage) {
    const held = paidFact(reading);
    return held.status === 'paid' ? { ...held, status: 'authorized', captureMode: opts.captureMode ?? 'auto' } : held;
  }
  const wasPaid = orderStatus === '2' || orderStatus === '4';
  return wasPaid ? paidFact(reading) : notPaidFact(reading);
}

function readDetails(body: AmeriabankBody, attempt: AttemptRef, paymentId: string): DetailsReading {
  const responseCode = field(body, 'ResponseCode');
  const orderStatus = field(body, 'OrderStatus');
  const currencyText = field(body, 'Currency');
  const currency: Currency | undefined =
    currencyText === undefined ? undefined : isCurrency(currencyText) ? currencyText : currencyFromNumeric(currencyText);
  // Exponent only: every supported currency has 2, so the attempt's is a safe stand-in here.
  const unit = currency ?? attempt.currency;
  const approved = field(body, 'ApprovedAmount');
  const refunded = field(body, 'RefundedAmount');
  const state = field(body, 'PaymentState') ?? (orderStatus ? ORDER_STATUS_NAMES[orderStatus] : undefined);
  const described = `OrderStatus ${orderStatus ?? '-'}${state ? ` ${state}` : ''}, ResponseCode ${responseCode ?? '-'}`;
  const orderId = field(body, 'OrderID');
  const fact: ProviderFact = {
    status: 'unknown',
    rawStatus: described,
    providerOrderNo: orderId,
    providerPaymentId: paymentId,
    amountMinor: approved === undefined ? undefined : majorToMinor(approved, unit),
    currency,
    refundedTotalMinor: refunded === undefined ? undefined : majorToMinor(refunded, unit),
    occurredAt: parseAmeriabankDateTime(field(body, 'DateTime')),
  };
  return { fact, described, responseCode, orderStatus, orderId, opaque: field(body, 'Opaque'), currencyText, approved };
}

function unknownFact(r: DetailsReading, why: string): ProviderFact {
  return { ...r.fact, status: 'unknown', rawStatus: `${r.described}: ${why}` };
}

/** A stranger's genuine PaymentID beside our OrderID must never pass. */
function ownershipMismatch(r: DetailsReading, attempt: AttemptRef): string | undefined {
  if (r.orderId !== undefined && !sameOrderId(r.orderId, attempt.providerOrderNo)) {
    return `mismatch: the payment belongs to OrderID ${r.orderId}, not ours (${attempt.providerOrderNo})`;
  }
  if (r.opaque !== undefined && r.opaque !== attempt.attemptId) {
    return `mismatch: Opaque "${r.opaque}" is not our attempt ${attempt.attemptId} (another InitPayment reused this OrderID)`;
  }
  return undefined;
}

function paidFact(r: DetailsReading): ProviderFact {
  const { fact } = r;
  if (r.responseCode !== '00') return unknownFact(r, 'a paid OrderStatus without ResponseCode 00');
  if (r.orderId === undefined) return unknownFact(r, 'no OrderID in the answer: cannot tie the payment to our order');
  if (fact.amountMinor === undefined) return unknownFact(r, `ApprovedAmount "${r.approved ?? ''}" is not a readable amount`);
  if (fact.currency === undefined) return unknownFact(r, `Currency "${r.currencyText ?? ''}" is not one we know`);
  if (r.orderStatus === '4' && fact.refundedTotalMinor === undefined) {
    // Still paid; the refund total is simply not known from this answer.
    return { ...fact, status: 'paid', rawStatus: `${r.described}: refunded amount not reported` };
  }
  return { ...fact, status: 'paid' };
}

function notPaidFact(r: DetailsReading): ProviderFact {
  const { fact, described } = r;
  switch (r.orderStatus) {
    case '1':
      return {
        ...unknownFact(
          r,
          'funds are only held (approved, not deposited) but this ClientID is set up as one-stage; set twoStage if the bank configured two-stage',
        ),
        needsPerson: true,
      };
    case '3':
      return { ...fact, status: 'cancelled' };
    case '6':
      return { ...fact, status: 'failed' };
    case '0':
    case '5':
      return { ...fact, status: 'pending' };
    case undefined:
      // "550" is what Ameriabank answers for a PaymentID nobody tried to pay yet (and, sadly, for a wrong password).
      return {
        ...fact,
        status: 'pending',
        rawStatus:
          r.responseCode === '550'
            ? `${described}: no payment attempt yet for this PaymentID (Ameriabank also answers 550 to a wrong password)`
            : `${described}: no OrderStatus in the answer`,
      };
    default:
      return { ...unknownFact(r, 'an OrderStatus Ameriabank does not document'), needsPerson: true };
  }
}

function sameOrderId(theirs: string, ours: string): boolean {
  if (/^\d+$/.test(theirs) && /^\d+$/.test(ours)) return BigInt(theirs) === BigInt(ours);
  return theirs === ours;
}

/** `d/m/Y H:i:s`, Yerevan local time (UTC+4, no DST since 2012). */
export function parseAmeriabankDateTime(text: string | undefined): number | undefined {
  const m = text ? /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(text) : null;
  if (!m) return undefined;
  const [, d, mo, y, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h - 4, mi, s);
}
