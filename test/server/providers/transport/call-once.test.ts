import { expect } from 'chai';
import { HttpTransportError, type HttpClient, type HttpRequest } from '../../../../server/platform/http-client.ts';
import { ProviderTimeoutError, ProviderUnreachableError } from '../../../../server/providers/errors.ts';
import { getOnce, postOnce } from '../../../../server/providers/transport/call-once.ts';

const labels = { provider: 'arca' as const, peer: 'the payment gateway', operation: 'register.do' };
/** gw.example stands for a bank host the operator listed (PROVIDER_ALLOWED_HOSTS). */
const outbound = { operatorHosts: [{ host: 'gw.example' }] };

function failingHttp(err: unknown): HttpClient & { sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return {
    sent,
    request: async (req) => {
      sent.push(req);
      throw err;
    },
  };
}

describe('transport: one call, never retried', () => {
  it('sends POST and GET with the given method exactly once', async () => {
    const http = failingHttp(new HttpTransportError('reset', 'ECONNRESET', false));
    await postOnce({ http, outbound }, { url: 'https://gw.example/a', body: { a: 1 } }, labels).catch(() => undefined);
    await getOnce({ http, outbound }, { url: 'https://gw.example/b' }, labels).catch(() => undefined);
    expect(http.sent.map((r) => r.method)).to.deep.equal(['POST', 'GET']);
  });

  it('names the host and where it is configured when nothing was sent', async () => {
    const http = failingHttp(new HttpTransportError('refused', 'ECONNREFUSED', false));
    const err = await postOnce(
      { http, outbound },
      { url: 'https://gw.example:8445/payment/rest/register.do' },
      { ...labels, hostSetting: 'baseUrl' },
    ).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderUnreachableError);
    expect(err).to.include({ code: 'arca_unreachable', networkCode: 'ECONNREFUSED' });
    expect((err as Error).message)
      .to.contain('gw.example:8445')
      .and.contain('register.do')
      .and.contain('baseUrl');
  });

  it('reports a timeout as ProviderTimeoutError: the outcome is unknown', async () => {
    const http = failingHttp(new HttpTransportError('timeout of 20000ms exceeded', 'ECONNABORTED', true));
    const err = await postOnce({ http, outbound }, { url: 'https://gw.example/a' }, labels).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderTimeoutError);
    expect(err).to.include({ code: 'arca_timeout' });
  });

  it('lets our own bugs through unchanged instead of dressing them up as provider errors', async () => {
    const bug = new TypeError('x is undefined');
    const err = await postOnce({ http: failingHttp(bug), outbound }, { url: 'https://gw.example/a' }, labels).catch((e: unknown) => e);
    expect(err).to.equal(bug);
  });
});
