import { expect } from 'chai';
import { ameriabankCredentialsSchema } from '../../../../server/providers/ameriabank/credentials.ts';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { credentials } from './fixtures.ts';

describe('ameriabank credentials', () => {
  it('accepts the settings fields: clientId, username, password and the test OrderID range', () => {
    expect(ameriabankCredentialsSchema.safeParse({ ...credentials, twoStage: true }).success).to.equal(true);
  });

  it('rejects unknown keys (a typo must not silently drop a setting)', () => {
    expect(ameriabankCredentialsSchema.safeParse({ ...credentials, clientID: 'x' }).success).to.equal(false);
  });

  it('rejects half a test range', () => {
    const { testOrderIdTo: _dropped, ...half } = credentials;
    const result = ameriabankCredentialsSchema.safeParse(half);
    expect(result.success).to.equal(false);
    expect(JSON.stringify(result.error?.issues)).to.match(/go together/);
  });

  it('rejects an inverted test range and non-integer order ids', () => {
    expect(ameriabankCredentialsSchema.safeParse({ ...credentials, testOrderIdFrom: 10, testOrderIdTo: 5 }).success).to.equal(false);
    expect(ameriabankCredentialsSchema.safeParse({ ...credentials, testOrderIdFrom: 1.5, testOrderIdTo: 5 }).success).to.equal(false);
  });

  it('marks only the password secret', () => {
    expect([...ameriabankProvider.secretFields]).to.deep.equal(['password']);
  });
});
