import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '../../../../server/platform/http-client.ts';

interface Order {
  orderNumber: string;
  amount: number;
  returnUrl: string;
  /** BPC orderStatus: 0 registered, 1 authorized (held), 2 deposited, 3 reversed. */
  status: number;
}

/**
 * A BPC gateway (ArCa iPay) as the HttpClient sees it, for two-stage flows: registerPreAuth.do,
 * getOrderStatusExtended.do, deposit.do, reverse.do (https://dev.bpcbt.com/en/integration/api/rest.html).
 */
export class FakeBpc {
  readonly orders = new Map<string, Order>();
  readonly calls: string[] = [];

  customerPays(orderId: string): void {
    this.order(orderId).status = 1;
  }

  get lastOrderId(): string {
    return [...this.orders.keys()].at(-1)!;
  }

  returnUrl(orderId: string): string {
    const url = new URL(this.order(orderId).returnUrl);
    url.searchParams.set('orderId', orderId);
    return url.toString();
  }

  handle(req: HttpRequest): Promise<HttpResponse> | undefined {
    const m = /arca\.am:8445\/payment\/rest\/(\w+)\.do$/.exec(req.url);
    if (!m) return undefined;
    this.calls.push(m[1]);
    const form = Object.fromEntries(new URLSearchParams(String(req.body)));
    switch (m[1]) {
      case 'registerPreAuth': {
        const id = randomUUID();
        this.orders.set(id, { orderNumber: form.orderNumber, amount: Number(form.amount), returnUrl: form.returnUrl, status: 0 });
        return json({ orderId: id, formUrl: `https://ipaytest.arca.am:8445/payment/merchants/shop/payment_en.html?mdOrder=${id}` });
      }
      case 'getOrderStatusExtended': {
        const o = this.order(form.orderId);
        return json({ errorCode: '0', orderNumber: o.orderNumber, orderStatus: o.status, amount: o.amount, currency: '051' });
      }
      case 'deposit':
        return this.move(form.orderId, 2);
      case 'reverse':
        return this.move(form.orderId, 3);
      default:
        return json({ errorCode: '7', errorMessage: `fake: ${m[1]} not emulated` });
    }
  }

  private order(orderId: string): Order {
    const o = this.orders.get(orderId);
    if (!o) throw new Error(`fake BPC: no order ${orderId}`);
    return o;
  }

  private move(orderId: string, to: number): Promise<HttpResponse> {
    const o = this.order(orderId);
    if (o.status !== 1) return json({ errorCode: '7', errorMessage: 'Operation is impossible for the current order state' });
    o.status = to;
    return json({ errorCode: '0' });
  }
}

function json(body: unknown): Promise<HttpResponse> {
  return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(body) });
}
