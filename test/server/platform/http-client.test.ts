import { expect } from 'chai';
import type { Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  ADDRESS_NOT_ALLOWED_CODE,
  CONNECT_TIMEOUT_CODE,
  createAxiosHttpClient,
  HttpTransportError,
} from '../../../server/platform/http-client.ts';
import { isPublicAddress } from '../../../server/platform/public-address.ts';
import { allowOnlyLoopback } from '../../support/net-guard.ts';

describe('HTTP client seam', () => {
  it('fails a connection that never completes with a connect timeout (nothing sent), not the long read timeout', async () => {
    // A TCP server that accepts and then says nothing: the TLS handshake never completes.
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const http = createAxiosHttpClient({ connectTimeoutMs: 200, defaultTimeoutMs: 10_000 });
      const started = Date.now();
      const err = await http.request({ method: 'GET', url: `https://127.0.0.1:${port}/` }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(HttpTransportError);
      expect((err as HttpTransportError).code).to.equal(CONNECT_TIMEOUT_CODE);
      expect((err as HttpTransportError).timedOut, 'a connect timeout is not an unknown outcome').to.equal(false);
      expect(Date.now() - started, 'gave up long before the read timeout').to.be.below(9_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      server.close();
    }
  });

  it('answers every HTTP status as a response instead of throwing, with the raw body text', async () => {
    const server = (await import('node:http')).createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html>down</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await createAxiosHttpClient().request({
        method: 'GET',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      });
      expect(res).to.deep.include({ status: 503, text: '<html>down</html>' });
      expect(res.headers['content-type']).to.equal('text/html');
    } finally {
      server.close();
    }
  });

  describe('allowAddress: the address is checked where the connection is made', () => {
    let server: Server;
    let port: number;
    let hits = 0;
    before(async () => {
      server = (await import('node:http')).createServer((_req, res) => {
        hits++;
        res.end('reached');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
      allowOnlyLoopback(['rebind.example.test']);
    });
    after(() => {
      allowOnlyLoopback();
      server.close();
    });
    /** A resolver that answers every name with loopback: DNS rebinding without real DNS. */
    const toLoopback = ((_host: string, _opts: unknown, cb: (e: null, a: Array<{ address: string; family: number }>) => void) =>
      cb(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as net.LookupFunction;

    it('refuses a name that resolves to 127.0.0.1, before anything is sent', async () => {
      const http = createAxiosHttpClient({ lookup: toLoopback });
      const before = hits;
      const err = await http
        .request({ method: 'POST', url: `http://rebind.example.test:${port}/pay`, body: 'password=x', allowAddress: isPublicAddress })
        .catch((e: unknown) => e);
      expect(err).to.be.instanceOf(HttpTransportError);
      expect(err).to.include({ code: ADDRESS_NOT_ALLOWED_CODE, timedOut: false });
      expect(hits, 'the server was never reached').to.equal(before);
    });

    it('refuses an IP literal that is never looked up ([::1], 127.0.0.1, 2130706433)', async () => {
      const http = createAxiosHttpClient({ lookup: toLoopback });
      for (const host of ['127.0.0.1', '[::1]', '2130706433']) {
        const err = await http
          .request({ method: 'GET', url: `http://${host}:${port}/`, allowAddress: isPublicAddress })
          .catch((e: unknown) => e);
        expect(err, host).to.include({ code: ADDRESS_NOT_ALLOWED_CODE });
      }
    });

    it('connects when the check passes, and leaves unchecked requests alone', async () => {
      const http = createAxiosHttpClient({ lookup: toLoopback });
      const checked = await http.request({ method: 'GET', url: `http://rebind.example.test:${port}/`, allowAddress: () => true });
      expect(checked.text).to.equal('reached');
      const unchecked = await http.request({ method: 'GET', url: `http://127.0.0.1:${port}/` });
      expect(unchecked.text).to.equal('reached');
    });
  });
});
