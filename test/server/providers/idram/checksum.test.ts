import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { idramChecksum, isValidIdramChecksum } from '../../../../server/providers/idram/checksum.ts';

describe('idram confirmation checksum', () => {
  const fields = {
    EDP_REC_ACCOUNT: '110000601',
    EDP_AMOUNT: '1900.00',
    EDP_BILL_NO: '42',
    EDP_PAYER_ACCOUNT: '110000999',
    EDP_TRANS_ID: '00000123456789',
    EDP_TRANS_DATE: '15/01/2026',
  };
  // MD5 of "110000601:1900.00:Tu6pN4jE9r:42:110000999:00000123456789:15/01/2026", computed outside the code under test.
  const expected = createHash('md5').update('110000601:1900.00:Tu6pN4jE9r:42:110000999:00000123456789:15/01/2026').digest('hex');

  it('is MD5 of the colon-joined fields with the secret third, in the documented order', () => {
    expect(idramChecksum(fields, 'Tu6pN4jE9r')).to.equal(expected);
  });

  it('accepts the checksum in upper case (Idram integrations compare with strtoupper)', () => {
    expect(isValidIdramChecksum(fields, 'Tu6pN4jE9r', expected.toUpperCase())).to.equal(true);
  });

  it('hashes the amount string as received, so "1900" and "1900.00" sign differently', () => {
    expect(idramChecksum({ ...fields, EDP_AMOUNT: '1900' }, 'Tu6pN4jE9r')).to.not.equal(expected);
  });

  it('fails for a tampered amount, transaction id or another secret', () => {
    expect(isValidIdramChecksum({ ...fields, EDP_AMOUNT: '19.00' }, 'Tu6pN4jE9r', expected)).to.equal(false);
    expect(isValidIdramChecksum({ ...fields, EDP_TRANS_ID: '00000123456788' }, 'Tu6pN4jE9r', expected)).to.equal(false);
    expect(isValidIdramChecksum(fields, 'other-secret', expected)).to.equal(false);
    expect(isValidIdramChecksum(fields, 'Tu6pN4jE9r', '')).to.equal(false);
  });
});
