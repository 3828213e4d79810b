import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../../server/crypto/secret-box.ts';

describe('server/crypto secret box (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const SECRETS = { refreshToken: 'def50200REFRESH-TOKEN-PLAINTEXT-a9b8c7d6e5f4' };

  it('round-trips what it seals', () => {
    const box = createSecretBox(key);
    expect(box.open(box.seal(SECRETS.refreshToken))).to.equal(SECRETS.refreshToken);
    expect(box.seal(SECRETS.refreshToken)).to.match(/^v1:[A-Za-z0-9+/]+=*$/);
  });

  it('detects a tampered ciphertext instead of returning altered plaintext', () => {
    const box = createSecretBox(key);
    const sealed = box.seal(SECRETS.refreshToken);
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] ^= 0x01;
    expect(() => box.open(`v1:${raw.toString('base64')}`)).to.throw(/authenticate/i);
    expect(() => box.open(SECRETS.refreshToken)).to.throw(/unknown secret format/);
  });

  it('seals the same secret differently every time (random IV), so equal secrets are not visible as equal', () => {
    const box = createSecretBox(key);
    expect(box.seal('same')).to.not.equal(box.seal('same'));
    expect(box.open(box.seal(''))).to.equal('');
    expect(box.open(box.seal('ünïcødé ✓'))).to.equal('ünïcødé ✓');
  });

  it('refuses a key that is not exactly 32 bytes', () => {
    expect(() => createSecretBox(randomBytes(16))).to.throw(/32 bytes/);
    expect(() => createSecretBox(Buffer.alloc(0))).to.throw(/32 bytes/);
  });
});
