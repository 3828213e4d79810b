import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { CLIENT, harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: disposable tokens', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.emu.stop());

  const verify = (token: string) =>
    jwt.verify(token, CLIENT.clientSecret, {
      algorithms: ['HS256'],
      audience: 'https://pay.example.am',
      clockTimestamp: Math.floor(h.clock.ms / 1000),
    }) as Record<string, unknown>;

  it('signs HS256 with the client secret; aud is the redirect URI origin and the claims match amoCRM', () => {
    const admin = h.account.users.find((u) => u.is_admin)!;
    const token = h.emu.signDisposableToken({ accountId: h.account.id, userId: admin.id });
    expect(jwt.decode(token, { complete: true })!.header.alg).to.equal('HS256');
    const claims = verify(token);
    const iat = Math.floor(h.clock.ms / 1000);
    expect(claims).to.include({
      iss: 'https://shop.amocrm.ru',
      aud: 'https://pay.example.am',
      iat,
      nbf: iat,
      exp: iat + 1800,
      account_id: h.account.id,
      user_id: admin.id,
      client_uuid: CLIENT.clientId,
      subdomain: 'shop',
      is_admin: true,
    });
    expect(claims.jti).to.match(/^[0-9a-f-]{36}$/);
  });

  it('gives every token its own jti, and takes is_admin from the user unless told', () => {
    const manager = h.account.users.find((u) => !u.is_admin)!;
    const a = verify(h.emu.signDisposableToken({ accountId: h.account.id, userId: manager.id }));
    const b = verify(h.emu.signDisposableToken({ accountId: h.account.id, userId: manager.id, isAdmin: true }));
    expect(a.is_admin).to.equal(false);
    expect(b.is_admin).to.equal(true);
    expect(a.jti).to.not.equal(b.jti);
  });

  it('does not verify with another secret, or when signed with a forged one', () => {
    const token = h.emu.signDisposableToken({ accountId: h.account.id, userId: 1, secret: 'forged' });
    expect(() => verify(token)).to.throw(/invalid signature/);
  });

  it('applies overrides and removes claims set to undefined', () => {
    const token = h.emu.signDisposableToken({
      accountId: h.account.id,
      userId: 1,
      overrides: { aud: 'https://evil.example', client_uuid: undefined, iat: undefined, exp: 'soon' },
    });
    const claims = jwt.decode(token) as Record<string, unknown>;
    expect(claims.aud).to.equal('https://evil.example');
    expect(claims.exp).to.equal('soon');
    expect(claims).to.not.have.property('client_uuid');
    expect(claims).to.not.have.property('iat');
    const good = h.emu.signDisposableToken({ accountId: h.account.id, userId: 1, overrides: { aud: 'https://evil.example' } });
    expect(() => verify(good)).to.throw(/audience/);
  });

  it('uses the kommo.com issuer for a Kommo account', () => {
    const kommo = h.emu.addAccount({ subdomain: 'k1', domain: 'kommo.com' });
    const claims = verify(h.emu.signDisposableToken({ accountId: kommo.id, userId: kommo.users[0].id }));
    expect(claims.iss).to.equal('https://k1.kommo.com');
  });
});
