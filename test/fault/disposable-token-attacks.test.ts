import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { installAccount, newPayment, startFaultApp, type FaultApp } from '../support/fault-harness.ts';

/**
 * Guards against anyone but amoCRM acting in the widget API: every forged, stale, misdirected or
 * replayed X-Auth-Token is refused with 401 and its own error code, on reads and on every kind of
 * change, before anything is written (not even the token id) and before amoCRM is called.
 */

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const claimsOf = (token: string) => jwt.decode(token) as Record<string, unknown>;

describe('fault: the disposable-token attack matrix (through the real app)', function () {
  let f: FaultApp;
  let accountId: number;
  let adminId: number;
  let paymentId: string;
  let leadId: number;
  before(async () => {
    // Replays are refused only with AMOCRM_TOKEN_REPLAY=reject (the default, log, accepts a reuse by the same user).
    f = await startFaultApp({ env: { AMOCRM_TOKEN_REPLAY: 'reject' } });
    const account = await installAccount(f);
    accountId = account.id;
    adminId = account.users.find((u) => u.is_admin)!.id;
    const p = await newPayment(f, accountId);
    paymentId = p.payment.id;
    leadId = p.leadId;
  });
  after(() => f.close());

  /** Every table a widget call can write, and the account row (settings live there). */
  function snapshot(): string {
    const { sqlite } = f.t.database;
    return JSON.stringify(
      [
        'accounts',
        'payments',
        'attempts',
        'audit_entries',
        'sync_jobs',
        'exceptions',
        'refunds',
        'provider_configs',
        'used_token_ids',
        'tokens',
      ].map((t) => sqlite.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()),
    );
  }

  const valid = (overrides: Record<string, unknown> = {}, secret?: string) =>
    f.emu.signDisposableToken({ accountId, userId: adminId, isAdmin: true, overrides, secret });

  const routes: Array<{ name: string; method: string; path: () => string; body?: unknown }> = [
    { name: 'read a lead', method: 'GET', path: () => `/leads/${leadId}/payments` },
    { name: 'create a link', method: 'POST', path: () => `/leads/${leadId}/payments`, body: { amountMinor: 5000 } },
    { name: 'resend', method: 'POST', path: () => `/payments/${paymentId}/resend`, body: { channel: 'copy' } },
    {
      name: 'change settings (admin)',
      method: 'PUT',
      path: () => '/settings',
      body: { defaultCurrency: 'USD', linkTtlHours: 1, providers: {} },
    },
    { name: 'exceptions', method: 'GET', path: () => '/exceptions' },
    { name: 'cancel', method: 'POST', path: () => `/payments/${paymentId}/cancel`, body: {} },
  ];

  async function call(route: (typeof routes)[number], token: string | null) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers['x-auth-token'] = token;
    const res = await fetch(`${f.t.url}/api/v1${route.path()}`, {
      method: route.method,
      headers,
      body: route.body === undefined ? undefined : JSON.stringify(route.body),
    });
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return { status: res.status, code: body.error?.code, message: body.error?.message };
  }

  it("answers 401 with the attack's own code on every route, and changes nothing", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = () => Math.floor(f.clock.now() / 1000);
    const sub = f.emu.getAccount(accountId)!.subdomain;
    const attacks: Array<{ name: string; code: string; token: () => string | null }> = [
      { name: 'no header', code: 'missing_token', token: () => null },
      { name: 'alg none', code: 'token_bad_algorithm', token: () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsOf(valid()))}.` },
      { name: 'HS256 with another secret', code: 'token_bad_signature', token: () => valid({}, 'not-the-integration-secret') },
      {
        name: 'RS256 with right claims',
        code: 'token_bad_algorithm',
        token: () => jwt.sign(claimsOf(valid()), privateKey, { algorithm: 'RS256' }),
      },
      { name: 'expired', code: 'token_expired', token: () => valid({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 60 }) },
      { name: 'not yet valid', code: 'token_not_yet_valid', token: () => valid({ iat: now(), nbf: now() + 300, exp: now() + 1800 }) },
      {
        name: 'a ten-year token (a leaked secret minting a lasting one)',
        code: 'token_lifetime_too_long',
        token: () => valid({ iat: now(), nbf: now(), exp: now() + 10 * 365 * 86_400 }),
      },
      { name: 'wrong audience', code: 'token_wrong_audience', token: () => valid({ aud: 'https://attacker.example' }) },
      {
        name: 'wrong client_uuid',
        code: 'token_wrong_client',
        token: () => valid({ client_uuid: '00000000-0000-4000-8000-000000000bad' }),
      },
      { name: 'foreign iss', code: 'token_foreign_issuer', token: () => valid({ iss: `https://${sub}.amocrm.ru.attacker.example` }) },
      {
        name: 'tampered payload, original signature',
        code: 'token_bad_signature',
        token: () => {
          const [header, , signature] = valid({ is_admin: false }).split('.');
          return `${header}.${b64({ ...claimsOf(valid()), is_admin: true, user_id: adminId + 1 })}.${signature}`;
        },
      },
    ];

    const results: string[] = [];
    for (const attack of attacks) {
      for (const route of routes) {
        const before = snapshot();
        const requestsBefore = f.emu.requests.length;
        const res = await call(route, attack.token());
        const where = `${attack.name} → ${route.method} ${route.name}`;
        expect(res.status, `${where}: ${JSON.stringify(res)}`).to.equal(401);
        expect(res.code, where).to.equal(attack.code);
        expect(res.message, where).to.be.a('string').and.not.empty;
        expect(snapshot(), `${where}: state changed`).to.equal(before);
        expect(f.emu.requests.length, `${where}: amoCRM was called`).to.equal(requestsBefore);
        results.push(`${attack.code}`);
      }
    }
    expect(results).to.have.length(attacks.length * routes.length);

    // A replayed jti: the genuine token works once (and is remembered), every replay is refused.
    for (const route of routes) {
      const token = valid();
      const first = await call(
        routes.find((r) => r.name === 'exceptions')!,
        token,
      );
      expect(first.status).to.equal(200);
      const before = snapshot();
      const requestsBefore = f.emu.requests.length;
      const replay = await call(route, token);
      expect(replay.status, `replay → ${route.name}`).to.equal(401);
      expect(replay.code).to.equal('token_replayed');
      expect(snapshot(), `replay → ${route.name}: state changed`).to.equal(before);
      expect(f.emu.requests.length).to.equal(requestsBefore);
    }

    // The codes tell the attacks apart (the two algorithm attacks share theirs).
    expect(new Set(attacks.map((a) => a.code)).size).to.equal(attacks.length - 2);
    console.log(
      `      ${attacks.length + 1} attacks × ${routes.length} routes: all 401, ${new Set([...results, 'token_replayed']).size} distinct codes, nothing written, amoCRM never called`,
    );
  });

  it('still accepts the genuine article on every route (the matrix is not refusing everything)', async () => {
    for (const route of routes) {
      const res = await call(route, valid());
      expect(res.status, `${route.name}: ${JSON.stringify(res)}`).to.be.oneOf([200, 201]);
    }
  });
});
