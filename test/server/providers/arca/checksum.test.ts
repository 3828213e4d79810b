import { expect } from 'chai';
import { arcaChecksum, arcaChecksumPayload } from '../../../../server/providers/arca/checksum.ts';

describe('arca callback checksum', () => {
  const vector = {
    mdOrder: '1234567890-098776-234-522',
    orderNumber: 'WC38-1752541000',
    operation: 'deposited',
    status: '1',
    amount: '100',
  };

  it('matches a known-good signed example (key test-callback-token)', () => {
    expect(arcaChecksum(vector, 'test-callback-token')).to.equal('4371CB8535CEB8EB312B9498631113BBE32E822F29E640775928591E4FCC8DE2');
  });

  it('signs name;value; pairs sorted by name with a trailing ";", leaving out checksum and sign_alias', () => {
    expect(arcaChecksumPayload({ ...vector, checksum: 'X', sign_alias: 'key1' })).to.equal(
      'amount;100;mdOrder;1234567890-098776-234-522;operation;deposited;orderNumber;WC38-1752541000;status;1;',
    );
  });

  it('changes when any signed value changes', () => {
    expect(arcaChecksum({ ...vector, amount: '1000' }, 'test-callback-token')).to.not.equal(arcaChecksum(vector, 'test-callback-token'));
  });
});
