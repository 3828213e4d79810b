import { expect } from 'chai';
import { idramCredentialsSchema } from '../../../../server/providers/idram/credentials.ts';
import { idramProvider } from '../../../../server/providers/idram/index.ts';
import { REC_ACCOUNT } from './fixtures.ts';

describe('idram credentials', () => {
  it('validates credentials strictly and keeps secretKey secret', () => {
    expect(idramCredentialsSchema.safeParse({ recAccount: REC_ACCOUNT, secretKey: 's' }).success).to.equal(true);
    expect(idramCredentialsSchema.safeParse({ recAccount: REC_ACCOUNT, secretKey: 's', extra: 1 }).success).to.equal(false);
    expect(idramCredentialsSchema.safeParse({ recAccount: '', secretKey: 's' }).success).to.equal(false);
    expect([...idramProvider.secretFields]).to.deep.equal(['secretKey']);
  });
});
