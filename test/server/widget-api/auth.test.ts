import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { usedTokenIds } from '../../../server/db/schema.ts';
import { CLIENT_SECRET, claimsOf, expectError, setAccountState, startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('widget API: X-Auth-Token authentication', () => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture();
  });
  afterEach(() => f.close());

  const list = (token: string | null) => f.api('GET', '/exceptions', { token });

  it('accepts a fresh token amoCRM signed for this integration', async () => {
    const res = await list(f.token());
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({ exceptions: [] });
  });

  it('refuses a request without X-Auth-Token (missing_token)', async () => {
    expectError(await list(null), 401, 'missing_token');
  });

  it('refuses a token that is not a JWT (token_malformed)', async () => {
    expectError(await list('not-a-jwt'), 401, 'token_malformed');
    expectError(await list('a.b.c'), 401, 'token_malformed');
  });

  it('refuses an unsigned token with alg "none" (token_bad_algorithm)', async () => {
    const claims = claimsOf(f.token());
    expectError(await list(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`), 401, 'token_bad_algorithm');
  });

  it('refuses an HS256 token signed with another secret (token_bad_signature)', async () => {
    expectError(await list(f.token({ secret: 'someone-elses-secret' })), 401, 'token_bad_signature');
  });

  it('refuses an RS256 token even when its claims are right (token_bad_algorithm)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = jwt.sign(claimsOf(f.token()), privateKey, { algorithm: 'RS256' });
    expectError(await list(token), 401, 'token_bad_algorithm');
  });

  it("refuses an HS512 token signed with our secret (only HS256 is amoCRM's widget token)", async () => {
    const token = jwt.sign(claimsOf(f.token()), CLIENT_SECRET, { algorithm: 'HS512' });
    expectError(await list(token), 401, 'token_bad_algorithm');
  });

  it('refuses an expired token, by the injected clock, beyond the 30 s tolerance (token_expired)', async () => {
    const token = f.token();
    f.t.clock.advance(30 * 60_000 + 20_000); // inside the tolerance: still accepted
    expect((await list(token)).status).to.equal(200);
    const late = f.token();
    f.t.clock.advance(30 * 60_000 + 31_000);
    expectError(await list(late), 401, 'token_expired');
  });

  it('refuses a token not valid yet (token_not_yet_valid)', async () => {
    const now = Math.floor(f.t.clock.now() / 1000);
    expectError(await list(f.token({ overrides: { nbf: now + 120, iat: now } })), 401, 'token_not_yet_valid');
    expectError(await list(f.token({ overrides: { iat: now + 120, nbf: now } })), 401, 'token_not_yet_valid');
  });

  it('refuses a token without exp, nbf or iat (token_missing_claim)', async () => {
    for (const claim of ['exp', 'nbf', 'iat', 'jti', 'account_id']) {
      expectError(await list(f.token({ overrides: { [claim]: undefined } })), 401, 'token_missing_claim');
    }
    expectError(await list(f.token({ overrides: { exp: 'tomorrow' } })), 401, 'token_missing_claim');
  });

  it('refuses a token issued for another server (token_wrong_audience)', async () => {
    expectError(await list(f.token({ overrides: { aud: 'https://evil.example' } })), 401, 'token_wrong_audience');
    expectError(await list(f.token({ overrides: { aud: undefined } })), 401, 'token_wrong_audience');
  });

  it('refuses a token of another integration (token_wrong_client)', async () => {
    expectError(await list(f.token({ overrides: { client_uuid: 'another-integration' } })), 401, 'token_wrong_client');
    expectError(await list(f.token({ overrides: { client_uuid: undefined } })), 401, 'token_wrong_client');
  });

  it('refuses an issuer outside amocrm.ru, amocrm.com and kommo.com (token_foreign_issuer)', async () => {
    const sub = f.account.subdomain;
    for (const iss of [
      `https://${sub}.evil.example`,
      `http://${sub}.amocrm.ru`,
      `https://${sub}.amocrm.ru.evil.example`,
      `https://amocrm.ru`,
      undefined,
    ]) {
      expectError(await list(f.token({ overrides: { iss } })), 401, 'token_foreign_issuer');
    }
  });

  it('accepts the account on any of the three amoCRM domains', async () => {
    const sub = f.account.subdomain;
    for (const domain of ['amocrm.ru', 'amocrm.com', 'kommo.com']) {
      expect((await list(f.token({ overrides: { iss: `https://${sub}.${domain}` } }))).status).to.equal(200);
    }
  });

  it('refuses a token whose issuer and subdomain claim disagree (token_issuer_mismatch)', async () => {
    expectError(await list(f.token({ overrides: { iss: 'https://other.amocrm.ru' } })), 401, 'token_issuer_mismatch');
  });

  it("refuses a token whose subdomain is not the installed account's (token_issuer_mismatch)", async () => {
    expectError(
      await list(f.token({ overrides: { iss: 'https://renamed.amocrm.ru', subdomain: 'renamed' } })),
      401,
      'token_issuer_mismatch',
    );
  });

  it('with AMOCRM_TOKEN_REPLAY=reject, accepts a jti once: the same token again is token_replayed', async () => {
    const strict = await startWidgetFixture({ env: { AMOCRM_TOKEN_REPLAY: 'reject' } });
    try {
      const token = strict.token();
      const get = (tok: string) => strict.api('GET', `/leads/${strict.emu.addLead(strict.accountId).id}/payments`, { token: tok });
      expect((await get(token)).status).to.equal(200);
      expectError(await get(token), 401, 'token_replayed');
      expect(strict.t.db.select().from(usedTokenIds).all()).to.have.length(1);
    } finally {
      await strict.close();
    }
  });

  it('does not burn a jti on a refused token (a bad signature cannot lock out the real one)', async () => {
    const good = f.token();
    const forged = `${good.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
    expectError(await list(forged), 401, 'token_bad_signature');
    expect((await list(good)).status).to.equal(200);
  });

  it('answers 409 account_not_connected for an account that never installed dramlink', async () => {
    const stranger = f.emu.addAccount();
    const token = f.emu.signDisposableToken({ accountId: stranger.id, userId: stranger.users[0].id });
    expectError(await list(token), 409, 'account_not_connected');
  });

  it('answers 409 account_not_connected for a disconnected account, reads included', async () => {
    await setAccountState(f, 'disconnected');
    expectError(await list(f.token()), 409, 'account_not_connected');
  });

  it('answers 409 account_needs_reconnect with a message for the widget on a change, and still shows the state on reads', async () => {
    await setAccountState(f, 'needs_reconnect');
    const res = await f.api('POST', '/leads/1/payments', { body: { amountMinor: 1000 } });
    expectError(res, 409, 'account_needs_reconnect');
    expect(res.body.error.message).to.match(/reconnect/i);
    const read = await list(f.token());
    expect(read.status).to.equal(200);
    expect(read.body.exceptions.map((e: { kind: string }) => e.kind)).to.include('account_needs_reconnect');
  });

  it('answers 409 account_blocked on a change while amoCRM blocks the account', async () => {
    await setAccountState(f, 'blocked');
    expectError(await f.api('POST', '/leads/1/payments', { body: { amountMinor: 1000 } }), 409, 'account_blocked');
  });

  it('takes the account from the token, never from the path or body', async () => {
    const other = await f.addAccount();
    const created = await f.api('POST', '/leads/1/payments', { token: other.token(), body: { amountMinor: 1000 } });
    expect(created.status).to.equal(404); // lead 1 is not in the other account
    expectError(await f.api('POST', '/leads/1/payments', { body: { amountMinor: 1000, accountId: f.accountId } }), 400, 'invalid_body');
  });
});

describe('widget API: AMOCRM_TOKEN_REPLAY=log (the default)', () => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture();
  });
  afterEach(() => f.close());

  it('accepts a reused jti and logs a warning instead', async () => {
    const token = f.token();
    expect((await f.api('GET', '/exceptions', { token })).status).to.equal(200);
    expect((await f.api('GET', '/exceptions', { token })).status).to.equal(200);
    expect(f.t.logs().some((l) => l.includes('disposable token reused') && l.includes('"warn"'))).to.equal(true);
  });
});
