import { expect } from 'chai';
import { arcaCredentialsSchema } from '../../../../server/providers/arca/credentials.ts';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';

describe('arca credentials', () => {
  it('accepts userName/password with an optional checksumKey', () => {
    expect(arcaCredentialsSchema.safeParse({ userName: 'u_api', password: 'p' }).success).to.equal(true);
    expect(arcaCredentialsSchema.safeParse({ userName: 'u_api', password: 'p', checksumKey: 'k' }).success).to.equal(true);
  });

  it('rejects unknown keys and an empty checksumKey (which would silently disable verification)', () => {
    expect(arcaCredentialsSchema.safeParse({ userName: 'u_api', password: 'p', username: 'x' }).success).to.equal(false);
    expect(arcaCredentialsSchema.safeParse({ userName: 'u_api', password: 'p', checksumKey: '' }).success).to.equal(false);
  });

  it('keeps the password and the callback key secret', () => {
    expect([...arcaProvider.secretFields]).to.deep.equal(['password', 'checksumKey']);
  });
});
