import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { everyRequest } from '../../../server/http/middleware/every-request.ts';
import { createLogger } from '../../../server/logging/logger.ts';

/** An app with only the every-request layer and two routes, its log lines collected. */
async function start(level: string) {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => lines.push(JSON.parse(l))),
  );
  const app = express();
  app.use(everyRequest(createLogger({ level, stream })));
  app.get('/ok', (_req, res) => void res.type('text/html').send('<p>ok</p>'));
  app.get('/boom', (_req, res) => void res.status(500).json({ error: 'x' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settle = () => new Promise((r) => setTimeout(r, 20));
  return { url, lines, settle, close: () => new Promise((r) => server.close(r)) };
}

describe('request log and headers of every request (one listener per logger, not per request)', () => {
  it('logs each request once, with its id, method, status, duration and the path without its query', async () => {
    const s = await start('http');
    try {
      const a = await fetch(`${s.url}/ok?code=secret-code`);
      const b = await fetch(`${s.url}/boom`, { headers: { 'x-request-id': 'req-2' } });
      await s.settle();
      expect(s.lines).to.have.length(2);
      const [first, second] = s.lines;
      expect(first).to.include({ message: 'request', level: 'http', method: 'GET', path: '/ok', status: 200 });
      expect(first.requestId).to.equal(a.headers.get('x-request-id'));
      expect(first.ms).to.be.a('number').and.at.least(0).and.below(10_000);
      expect(JSON.stringify(first)).not.to.include('secret-code');
      expect(second).to.include({ level: 'error', path: '/boom', status: 500, requestId: 'req-2' });
      expect(b.headers.get('x-request-id')).to.equal('req-2');
    } finally {
      await s.close();
    }
  });

  it('writes no line below the logger level, but still the 500s at level error', async () => {
    const s = await start('error');
    try {
      await fetch(`${s.url}/ok`);
      await fetch(`${s.url}/boom`);
      await s.settle();
      expect(s.lines.map((l) => l.status)).to.deep.equal([500]);
    } finally {
      await s.close();
    }
  });

  it('keeps the HTML headers on each response when many are in flight at once (the hook is shared)', async () => {
    const s = await start('error');
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${s.url}/${i % 2 ? 'ok' : 'boom'}`)));
      for (const r of answers) {
        expect(r.headers.get('x-content-type-options')).to.equal('nosniff');
        const html = r.headers.get('content-type')!.startsWith('text/html');
        expect(r.headers.get('content-security-policy') !== null).to.equal(html);
        expect(r.headers.get('referrer-policy')).to.equal(html ? 'no-referrer' : null);
      }
    } finally {
      await s.close();
    }
  });
});
