import { crmStatusOf } from '../../shared/crm-status.ts';
import { formatMoney, isCurrency, minorToMajorString } from '../../shared/money.ts';
import { isMoneyTaken } from '../../shared/status.ts';
import type { PaymentRow } from '../payments/payment-state.ts';

/**
 * What a Salesbot step gets back, as `{{json.<key>}}` for its next steps (docs/architecture.md,
 * Salesbot). `status` is the value to branch on:
 * - `ok`: `payment_url` can be paid (`amount`, `currency`, `amount_text` such as "45 000 AMD");
 * - `paid`: the lead already paid; `payment_url` is that payment's page, which says so;
 * - `error`: no link; `error` is the reason code (`no_price`, `lead_not_found`,
 *   `no_provider_enabled`, `no_provider_for_currency`, `invalid_price`, `amocrm_unavailable`, …).
 * `payment_status` is the payment's CRM status (`awaiting_payment`, `paid`, …).
 */
export type BotAnswer = Record<string, string>;

export function botAnswerFor(payment: PaymentRow, publicUrl: string): BotAnswer {
  const currency = payment.currency;
  const taken = isMoneyTaken(payment.status) && payment.status !== 'refunded';
  return {
    status: taken ? 'paid' : 'ok',
    payment_url: `${publicUrl}/pay/${payment.linkToken}`,
    amount: isCurrency(currency) ? minorToMajorString(payment.amountMinor, currency, { trim: true }) : String(payment.amountMinor),
    amount_text: isCurrency(currency) ? formatMoney(payment.amountMinor, currency) : String(payment.amountMinor),
    currency,
    payment_status: crmStatusOf({ status: payment.status, needsReview: payment.reviewReason !== null }),
    error: '',
  };
}

export function botErrorAnswer(reason: string): BotAnswer {
  return { status: 'error', error: reason, payment_url: '', amount: '', amount_text: '', currency: '', payment_status: '' };
}
