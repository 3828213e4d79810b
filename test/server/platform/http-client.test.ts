import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { CONNECT_TIMEOUT_CODE, createAxiosHttpClient, HttpTransportError } from '../../../server/platform/http-client.ts';

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
});
