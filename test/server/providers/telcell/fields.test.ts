import { expect } from 'chai';
import { parseKeyValueLines } from '../../../../server/providers/telcell/fields.ts';

describe('telcell check_bill answer fields', () => {
  it('parses key=value lines, skipping a leading OK and keeping "=" inside values', () => {
    expect(parseKeyValueLines('OK\r\nstatus=PAID\nissuer_id=YWI=\n')).to.deep.equal({ status: 'PAID', issuer_id: 'YWI=' });
  });
});
