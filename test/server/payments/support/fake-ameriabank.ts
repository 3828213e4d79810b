import { randomUUID } from 'node:crypto';
import { HttpTransportError, type HttpRequest, type HttpResponse } from '../../../../server/platform/http-client.ts';

/** What the next ConfirmPayment or CancelPayment does. */
export type MoveBehaviour =
  /** "00", and the order moves (2 captured, 3 voided). */
  | 'ok'
  /** ResponseCode 07, nothing moves. */
  | 'refuse'
  /** The order moves, but the answer is lost (the connection drops): the outcome is unknown to the caller. */
  | 'lost_after'
  /** The answer is lost and nothing moved. */
  | 'lost_before';

interface Order {
  orderId: string;
  backUrl: string;
  amount: string;
  opaque: string;
  /** Ameriabank OrderStatus: 0 started, 1 approved (held), 2 deposited, 3 void, 6 declined. */
  status: string;
}

/**
 * Ameriabank vPOS as the HttpClient sees it (the widget fixture's `intercept` seam: no network), for
 * the two-stage flows: InitPayment, GetPaymentDetails, ConfirmPayment, CancelPayment, with the
 * documented fields (https://servicestest.ameriabank.am/VPOS/Help). `customerPays` is the
 * customer on the bank's page: a two-stage ClientID holds (1), a one-stage one deposits (2).
 */
export class FakeAmeriabank {
  readonly orders = new Map<string, Order>();
  readonly calls: string[] = [];
  capture: MoveBehaviour = 'ok';
  cancel: MoveBehaviour = 'ok';

  constructor(private readonly twoStage: boolean) {}

  customerPays(paymentId: string): void {
    this.order(paymentId).status = this.twoStage ? '1' : '2';
  }

  /** The bank released a hold by itself (it does after some days), or an operator voided it in the cabinet. */
  setStatus(paymentId: string, status: string): void {
    this.order(paymentId).status = status;
  }

  /** Where the bank sends the customer back: BackURL with its (unsigned) parameters, the PaymentID lowercase as observed. */
  returnUrl(paymentId: string): string {
    const o = this.order(paymentId);
    const url = new URL(o.backUrl);
    url.searchParams.set('orderID', o.orderId);
    url.searchParams.set('paymentID', paymentId.toLowerCase());
    url.searchParams.set('resposneCode', '00');
    url.searchParams.set('opaque', o.opaque);
    return url.toString();
  }

  get lastPaymentId(): string {
    return [...this.orders.keys()].at(-1)!;
  }

  handle(req: HttpRequest): Promise<HttpResponse> | undefined {
    const m = /ameriabank\.am\/VPOS\/api\/VPOS\/(\w+)$/.exec(req.url);
    if (!m) return undefined;
    const op = m[1];
    this.calls.push(op);
    const body = req.body as Record<string, unknown>;
    switch (op) {
      case 'InitPayment':
        return this.init(body);
      case 'GetPaymentDetails':
        return ok(this.details(String(body.PaymentID)));
      case 'ConfirmPayment':
        return this.move(String(body.PaymentID), this.capture, '2');
      case 'CancelPayment':
        return this.move(String(body.PaymentID), this.cancel, '3');
      default:
        return ok({ ResponseCode: '05', ResponseMessage: `fake: ${op} not emulated` });
    }
  }

  private order(paymentId: string): Order {
    const o = this.orders.get(paymentId.toUpperCase());
    if (!o) throw new Error(`fake Ameriabank: no payment ${paymentId}`);
    return o;
  }

  private init(body: Record<string, unknown>): Promise<HttpResponse> {
    const id = randomUUID().toUpperCase();
    this.orders.set(id, {
      orderId: String(body.OrderID),
      backUrl: String(body.BackURL),
      amount: String(body.Amount),
      opaque: String(body.Opaque),
      status: '0',
    });
    return ok({ PaymentID: id, ResponseCode: 1, ResponseMessage: 'OK' });
  }

  private details(paymentId: string): Record<string, unknown> {
    const o = this.order(paymentId);
    const amount = Number(o.amount);
    return {
      Amount: amount,
      ApprovedAmount: o.status === '0' ? 0 : amount,
      DepositedAmount: o.status === '2' ? amount : 0,
      RefundedAmount: 0,
      Currency: '051',
      OrderID: o.orderId,
      OrderStatus: o.status,
      Opaque: o.opaque,
      ResponseCode: o.status === '0' ? '0-100' : '00',
      DateTime: '15/01/2026 14:03:27',
    };
  }

  private move(paymentId: string, behaviour: MoveBehaviour, to: string): Promise<HttpResponse> {
    const o = this.order(paymentId);
    if (o.status !== '1') return ok({ ResponseCode: '07', ResponseMessage: 'Transaction is not in approved state' });
    if (behaviour === 'refuse') return ok({ ResponseCode: '07', ResponseMessage: 'Operation is not allowed' });
    if (behaviour !== 'lost_before') o.status = to;
    if (behaviour === 'ok') return ok({ ResponseCode: '00', ResponseMessage: 'OK', Opaque: o.opaque });
    return Promise.reject(new HttpTransportError('socket hang up', 'ECONNRESET', false));
  }
}

function ok(json: unknown): Promise<HttpResponse> {
  return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json) });
}
