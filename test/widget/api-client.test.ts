import { expect } from 'chai';
import type { AjaxOptions } from '../../widget/src/amo-host.ts';
import { createApi, toApiError, type ApiError } from '../../widget/src/api-client.ts';
import { payment } from './fixtures.ts';

/** A jqXHR-like result: done/fail callbacks, as amoCRM's $authorizedAjax returns. */
function jq(outcome: { ok: unknown } | { fail: unknown }) {
  const r = {
    done(cb: (d: unknown) => void) {
      if ('ok' in outcome) queueMicrotask(() => cb(outcome.ok));
      return r;
    },
    fail(cb: (x: unknown) => void) {
      if ('fail' in outcome) queueMicrotask(() => cb(outcome.fail));
      return r;
    },
  };
  return r;
}

function host(answer: (o: AjaxOptions) => Awaited<ReturnType<typeof jq>>) {
  const calls: AjaxOptions[] = [];
  return { calls, $authorizedAjax: (o: AjaxOptions) => (calls.push(o), answer(o)) };
}

describe('api client', () => {
  it('calls the server only through $authorizedAjax with JSON in and out', async () => {
    const h = host(() => jq({ ok: { payment: payment() } }));
    const api = createApi(h, 'https://pay.example');
    await api.createPayment(42, { amountMinor: 100, currency: 'AMD' });
    expect(h.calls[0]).to.deep.equal({
      url: 'https://pay.example/api/v1/leads/42/payments',
      type: 'POST',
      data: '{"amountMinor":100,"currency":"AMD"}',
      contentType: 'application/json',
      dataType: 'json',
    });
  });

  it('sends no body with GET, which jQuery would turn into a query string', async () => {
    const h = host(() => jq({ ok: { leadId: 42, crmStatus: null, payments: [] } }));
    await createApi(h, 'http://x').leadPayments(42);
    expect(h.calls[0]).to.not.have.property('data');
    expect(h.calls[0].url).to.equal('http://x/api/v1/leads/42/payments');
  });

  it('uses the routes of the contract for each action', async () => {
    const h = host(() => jq({ ok: { payment: payment() } }));
    const api = createApi(h, '');
    await api.resend('p/1', { channel: 'sms' });
    await api.refresh('p1');
    await api.cancel('p1');
    await api.refund('p1', { amountMinor: 5 });
    expect(h.calls.map((c) => `${c.type} ${c.url} ${c.data}`)).to.deep.equal([
      'POST /api/v1/payments/p%2F1/resend {"channel":"sms"}',
      'POST /api/v1/payments/p1/refresh {}',
      'POST /api/v1/payments/p1/cancel {}',
      'POST /api/v1/payments/p1/refunds {"amountMinor":5}',
    ]);
  });

  it('turns the error envelope into the code and message the panel shows', async () => {
    const h = host(() => jq({ fail: { status: 409, responseJSON: { error: { code: 'account_not_connected', message: 'Reconnect' } } } }));
    const err = await createApi(h, '')
      .leadPayments(1)
      .then(
        () => undefined,
        (e: ApiError) => e,
      );
    expect(err).to.deep.equal({ status: 409, code: 'account_not_connected', message: 'Reconnect', details: undefined });
  });

  it('reports an unreachable server as a network error, not a crash', () => {
    expect(toApiError({ status: 0, responseText: '' })).to.deep.equal({ status: 0, code: 'network', message: '' });
  });

  it('reads the envelope from responseText when jQuery did not parse it', () => {
    expect(toApiError({ status: 500, responseText: '{"error":{"code":"internal","message":"boom"}}' }).code).to.equal('internal');
  });

  it('rejects a 200 answer that is not the expected shape', async () => {
    const h = host(() => jq({ ok: { nope: true } }));
    const err = await createApi(h, '')
      .refresh('p1')
      .then(
        () => undefined,
        (e: ApiError) => e,
      );
    expect(err?.code).to.equal('bad_response');
  });

  it('also accepts a plain promise from a playground', async () => {
    const api = createApi({ $authorizedAjax: () => Promise.resolve({ payment: payment() }) as never }, '');
    expect((await api.cancel('p1')).id).to.equal('pay_1');
  });
});
