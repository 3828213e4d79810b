import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import nock from 'nock';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../server/logging/logger.ts';
import { REDACTED, isSecretKey, redact, redactString } from '../../../server/logging/redact.ts';
import { startTestApp, seedAccount, type TestApp } from '../../support/test-app.ts';

/** A JWT-shaped string (header.payload.signature, base64url) that is obviously ours in a log. */
function jwt(tag: string, claims: Record<string, unknown> = {}): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sig = createHmac('sha256', 'not-the-secret').update(tag).digest('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ jti: tag, ...claims })}.${sig}`;
}

const S = {
  code: 'def50200a1b2c3AUTHCODEd4e5f6',
  state: 'STATEa8f7e6d5',
  signature: 'a3f1c9e2b7d45e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7',
  widgetToken: jwt('widget-token-jti-0001', { account_id: 1001, user_id: 7 }),
  // No account claim: the install stops at reading the account (the failure path logs the most).
  accessToken: jwt('access-token-jti-0002'),
  refreshToken: 'def50200REFRESHc0ffee1234567890abcdef',
  bearer: 'sk_live_BEARERc0ffee9876543210',
  password: 'Hunter2-PASSWORD-Secret!',
  bodyAccessToken: 'AT-body-0123456789-secret',
  pan: '4111111111111111',
  panSpaced: '5555 5555 5555 4444',
  cvv: '737',
  shopKey: 'TELCELL-SHOPKEY-5f4e3d2c',
  secretKey: 'IDRAM-SECRETKEY-9a8b7c6d',
  webhookSecret: 'whsec_c2VjcmV0LWZvci10ZXN0cy1vbmx5',
  clientSecret: 'CLIENT-SECRET-77aa88bb',
};
const SECRETS = Object.values(S).filter((v) => v !== S.cvv);

function leaks(lines: string[]): Array<{ secret: string; line: string }> {
  const found: Array<{ secret: string; line: string }> = [];
  for (const line of lines) {
    for (const secret of SECRETS) if (line.includes(secret)) found.push({ secret, line });
    // A PAN must not survive with other separators either.
    if (line.replace(/[ -]/g, '').includes(S.panSpaced.replace(/ /g, ''))) found.push({ secret: 'pan', line });
  }
  return found;
}

describe('server/logging: no secret reaches a log line', () => {
  describe('through the real app (request log, route logs, error log)', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ logLevel: 'silly' });
      seedAccount(t);
    });
    after(async () => {
      nock.cleanAll();
      await t.close();
    });

    it('does not log the install code, state or the tokens amoCRM returns for it', async () => {
      nock('https://shop.amocrm.ru')
        .post('/oauth2/access_token')
        .reply(200, { token_type: 'Bearer', expires_in: 86400, access_token: S.accessToken, refresh_token: S.refreshToken })
        .get('/api/v4/account')
        .reply(401, { title: 'Unauthorized', detail: `token ${S.accessToken} refused` });
      const res = await fetch(`${t.url}/oauth/callback?code=${S.code}&referer=shop.amocrm.ru&state=${S.state}&from_widget=1&platform=1`, {
        redirect: 'manual',
      });
      await res.text();
      expect(res.status).to.be.at.least(300);
      expect(
        t.logs().some((l) => l.includes('/oauth/callback')),
        'the request itself is logged',
      ).to.equal(true);
      expect(leaks(t.logs())).to.deep.equal([]);
    });

    it('does not log the signature of the revoke hook', async () => {
      const res = await fetch(`${t.url}/oauth/disconnect?account_id=1001&client_uuid=test-client-id&signature=${S.signature}`);
      await res.text();
      expect(t.logs().some((l) => l.includes('/oauth/disconnect'))).to.equal(true);
      expect(leaks(t.logs())).to.deep.equal([]);
    });

    it('does not log the X-Auth-Token, an Authorization header, or password/access_token in a JSON body', async () => {
      for (const path of ['/api/v1/leads/1/payments', '/api/v1/settings', '/no/such/route']) {
        const res = await fetch(`${t.url}${path}?access_token=${S.bodyAccessToken}&code=${S.code}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-auth-token': S.widgetToken, authorization: `Bearer ${S.bearer}` },
          body: JSON.stringify({ password: S.password, access_token: S.bodyAccessToken, card: { number: S.pan, cvv: S.cvv } }),
        });
        await res.text();
      }
      // And a body that does not even parse, with the secret in it.
      await (
        await fetch(`${t.url}/api/v1/leads/1/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-auth-token': S.widgetToken },
          body: `{"password":"${S.password}",`,
        })
      ).text();
      expect(t.logs().filter((l) => l.includes('/api/v1/')).length).to.be.at.least(3);
      expect(leaks(t.logs())).to.deep.equal([]);
    });

    it('does not log the webhook signature or the sandbox secret of a provider notification', async () => {
      const res = await fetch(`${t.url}/webhooks/sandbox/1001`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'msg_1',
          'webhook-timestamp': '1',
          'webhook-signature': `v1,${S.signature}`,
        },
        body: JSON.stringify({ type: 'payment.succeeded', data: { sessionId: 'nope', orderNo: '1', amountMinor: 100, currency: 'AMD' } }),
      });
      await res.text();
      expect(leaks(t.logs())).to.deep.equal([]);
    });

    it('does not log secrets handed to the app logger directly: nested, in arrays, in messages, in errors', () => {
      const logger = t.app.services.logger;
      logger.info('provider settings saved', {
        accountId: 1001,
        settings: {
          providers: {
            telcell: { shopId: 'shop-1', shopKey: S.shopKey },
            idram: { recAccount: '110000601', secretKey: S.secretKey },
            sandbox: { webhookSecret: S.webhookSecret },
          },
        },
        amocrm: { client_secret: S.clientSecret, tokens: [{ access_token: S.accessToken, refresh_token: S.refreshToken }] },
      });
      logger.warn(`calling https://shop.amocrm.ru/oauth/callback?code=${S.code}&state=1 with Bearer ${S.bearer}`);
      logger.debug('outgoing request', {
        headers: { Authorization: `Bearer ${S.bearer}`, 'X-Auth-Token': S.widgetToken },
        body: `userName=api&password=${S.password}`,
      });
      logger.info('customer typed card data into a comment', {
        comment: `my card is ${S.panSpaced}, cvv ${S.cvv}`,
        cardNumber: S.pan,
        pan: S.pan,
        security_code: S.cvv,
      });
      logger.error('amoCRM call failed', {
        error: new Error(`401 for token ${S.accessToken}`),
        cause: { response: { data: { refresh_token: S.refreshToken } } },
      });
      logger.error(new Error(`boom with Bearer ${S.bearer}`) as never);
      logger.info('order', { orderNo: 'ORD-123', amountMinor: 150000 });
      const lines = t.logs();
      expect(
        lines.some((l) => l.includes('ORD-123')),
        'non-secret context is still logged',
      ).to.equal(true);
      expect(
        lines.some((l) => l.includes('shop-1') && l.includes('110000601')),
        'non-secret settings are still logged',
      ).to.equal(true);
      expect(leaks(lines)).to.deep.equal([]);
    });
  });

  describe('createLogger', () => {
    it('writes JSON lines with the level and redacts default meta too', () => {
      const stream = new PassThrough();
      let out = '';
      stream.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const logger = createLogger({ level: 'info', stream, defaultMeta: { service: 'dramlink', apiKey: S.secretKey } });
      logger.info('hello', { password: S.password });
      logger.debug('below the level', { x: 1 });
      const lines = out.trim().split('\n');
      expect(lines).to.have.length(1);
      const entry = JSON.parse(lines[0]);
      expect(entry).to.deep.include({ level: 'info', message: 'hello', service: 'dramlink', password: REDACTED, apiKey: REDACTED });
      expect(entry.timestamp).to.be.a('string');
    });
  });

  describe('redact', () => {
    it('replaces values of secret-named keys at any depth and keeps the rest', () => {
      const input = {
        accountId: 1,
        nested: { deeper: { password: 'p', list: [{ access_token: 'a' }, { refreshToken: 'r' }, 'plain'] } },
        headers: { authorization: 'x', 'x-auth-token': 'y', cookie: 'z', 'webhook-signature': 'v1,s' },
        credentials: { clientId: 'id', username: 'u', checksumKey: 'k', shopKey: 'k', EDP_CHECKSUM: 'c' },
      };
      expect(redact(input)).to.deep.equal({
        accountId: 1,
        nested: { deeper: { password: REDACTED, list: [{ access_token: REDACTED }, { refreshToken: REDACTED }, 'plain'] } },
        headers: { authorization: REDACTED, 'x-auth-token': REDACTED, cookie: REDACTED, 'webhook-signature': REDACTED },
        credentials: { clientId: 'id', username: 'u', checksumKey: REDACTED, shopKey: REDACTED, EDP_CHECKSUM: REDACTED },
      });
    });

    it('does not mutate what it is given', () => {
      const input = { password: 'p', nested: { token: 't' } };
      redact(input);
      expect(input).to.deep.equal({ password: 'p', nested: { token: 't' } });
    });

    it('keeps empty and absent secrets visible as such (useful when debugging missing settings)', () => {
      expect(redact({ password: '', token: null, secret: undefined })).to.deep.equal({ password: '', token: null, secret: undefined });
    });

    it('scans strings for JWTs, bearer tokens, secret query parameters and card numbers', () => {
      expect(redactString(`token ${S.accessToken} here`)).to.equal(`token ${REDACTED} here`);
      expect(redactString(`Authorization: Bearer ${S.bearer}`)).to.equal(`Authorization: Bearer ${REDACTED}`);
      expect(redactString(`/oauth/callback?code=${S.code}&referer=shop.amocrm.ru`)).to.equal(
        `/oauth/callback?code=${REDACTED}&referer=shop.amocrm.ru`,
      );
      expect(redactString(`/oauth/disconnect?account_id=1&signature=${S.signature}`)).to.equal(
        `/oauth/disconnect?account_id=1&signature=${REDACTED}`,
      );
      expect(redactString(`card ${S.panSpaced} ok`)).to.equal(`card ${REDACTED} ok`);
      expect(redactString(`card 4111-1111-1111-1111.`)).to.equal(`card ${REDACTED}.`);
    });

    it('redacts a form-encoded body whose first field is the secret', () => {
      expect(redactString(`password=${S.password}&userName=api`)).to.equal(`password=${REDACTED}&userName=api`);
      expect(redactString(`userName=api&password=${S.password}`)).to.equal(`userName=api&password=${REDACTED}`);
    });

    it('redacts secret fields inside a JSON text (a provider or amoCRM body logged as a string)', () => {
      const text = JSON.stringify({
        token_type: 'Bearer',
        access_token: 'opaque-access',
        refresh_token: S.refreshToken,
        expires_in: 86400,
      });
      const out = redactString(text);
      expect(out).to.not.contain('opaque-access');
      expect(out).to.not.contain(S.refreshToken);
      // Same key rule as for objects (token_type is token-named), and still valid JSON.
      expect(JSON.parse(out)).to.deep.equal(redact(JSON.parse(text)));
      expect(JSON.parse(out)).to.deep.include({ access_token: REDACTED, refresh_token: REDACTED, expires_in: 86400 });
      expect(redactString('{"hint": "Authorization code has expired", "status": 400}')).to.equal(
        '{"hint": "Authorization code has expired", "status": 400}',
      );
      expect(redactString('{"message":"a \\"quoted\\" word","password":"x\\"y"}')).to.equal(
        `{"message":"a \\"quoted\\" word","password":"${REDACTED}"}`,
      );
    });

    it('leaves ordinary numbers and ids alone (order numbers, amounts, phone numbers)', () => {
      expect(redactString('order 1234567 for 150000 AMD, call +374 10 123456')).to.equal(
        'order 1234567 for 150000 AMD, call +374 10 123456',
      );
      expect(redact({ orderNo: '000123', amountMinor: 1000000000000, code: 'invalid_amount' })).to.deep.equal({
        orderNo: '000123',
        amountMinor: 1000000000000,
        code: 'invalid_amount',
      });
    });

    it('summarizes errors and buffers instead of dumping them', () => {
      const err = Object.assign(new Error(`failed with Bearer ${S.bearer}`), {
        config: { headers: { Authorization: `Bearer ${S.bearer}` } },
      });
      expect(redact(err)).to.deep.equal({ name: 'Error', message: `failed with Bearer ${REDACTED}` });
      expect(redact(Buffer.from(S.password))).to.equal(`[${Buffer.byteLength(S.password)} bytes]`);
    });

    it('stops at a depth limit instead of recursing forever on deep input', () => {
      let deep: Record<string, unknown> = { password: 'p' };
      for (let i = 0; i < 20; i++) deep = { child: deep };
      expect(JSON.stringify(redact(deep))).to.not.contain('"p"');
    });

    it('knows the secret key names', () => {
      for (const k of [
        'password',
        'access_token',
        'refreshToken',
        'client_secret',
        'X-Auth-Token',
        'authorization',
        'signature',
        'checksum',
        'apiKey',
        'shopKey',
        'cvv',
        'card_number',
        'pan',
      ]) {
        expect(isSecretKey(k), k).to.equal(true);
      }
      for (const k of ['accountId', 'orderNo', 'amountMinor', 'status', 'code', 'userName', 'clientId'])
        expect(isSecretKey(k), k).to.equal(false);
    });
  });
});
