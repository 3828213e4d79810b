import type { Page } from '../pay-page/page-frame.ts';
import { statePage, type PageFrame } from '../pay-page/templates.ts';

/**
 * The customer's pages for what amoCRM's moderators try on an acquiring integration
 * (https://www.amocrm.ru/developers/content/integrations/banks-and-acquiring), in the pay page's
 * languages, saying nothing of how dramlink works inside:
 * - `not_found`: the account is not connected (the integration was removed) or the invoice was
 *   deleted: "Invoice not found, contact the seller who issued it", amoCRM's own wording;
 * - `cannot_pay`: no total, a total ≤ 0, or totals that disagree: contact the seller;
 * - `method_unavailable`: the payment method is not enabled for the account, or cannot take its currency;
 * - `refunded`: the invoice's money went back; a new invoice is needed to pay again;
 * - `unavailable`: amoCRM could not be asked just now (a short outage, a block cooling down).
 */
export type PaywallRefusal = 'not_found' | 'cannot_pay' | 'method_unavailable' | 'refunded' | 'unavailable';

export function paywallRefusalPage(frame: PageFrame, refusal: PaywallRefusal): Page {
  const t = frame.t;
  switch (refusal) {
    case 'not_found':
      return {
        status: 404,
        html: statePage(frame, null, { icon: '?', cls: 'warn', title: t.invoiceNotFound, hint: t.invoiceNotFoundHint }),
      };
    case 'cannot_pay':
      return {
        status: 409,
        html: statePage(frame, null, { icon: '!', cls: 'warn', title: t.invoiceCannotPay, hint: t.invoiceCannotPayHint }),
      };
    case 'method_unavailable':
      return {
        status: 400,
        html: statePage(frame, null, { icon: '!', cls: 'warn', title: t.methodUnavailable, hint: t.methodUnavailableHint }),
      };
    case 'refunded':
      return {
        status: 410,
        html: statePage(frame, null, { icon: '↩', cls: 'warn', title: t.invoiceRefunded, hint: t.invoiceRefundedHint }),
      };
    case 'unavailable':
      return { status: 503, html: statePage(frame, null, { icon: '…', cls: 'warn', title: t.unavailable, hint: t.unavailableHint }) };
  }
}

/** An invoice amoCRM already shows as paid (paid some other way): nothing to open. */
export function paidElsewherePage(frame: PageFrame): Page {
  return { status: 200, html: statePage(frame, null, { icon: '✓', cls: 'ok', title: frame.t.alreadyPaid, hint: frame.t.alreadyPaidHint }) };
}
