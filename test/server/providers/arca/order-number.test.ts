import { expect } from 'chai';
import fc from 'fast-check';
import { arcaProvider } from '../../../../server/providers/arca/index.ts';
import { credentials } from './fixtures.ts';

const orderNo = (attemptId: string) => arcaProvider.orderNo({ counter: 1, attemptId, mode: 'test', credentials });

describe('arca orderNo', () => {
  it('keeps a short alphanumeric attempt id readable', () => {
    expect(orderNo('att01HZY3')).to.equal('drlatt01HZY3');
  });

  it("hashes a UUID attempt id to 32 alphanumerics instead of overflowing EPG's limit", () => {
    const no = orderNo('0b9d6f4e-6c1a-4e8f-9a51-3f0c2d7e8b14');
    expect(no).to.match(/^drl[0-9a-f]{29}$/);
    expect(no).to.have.length(32);
  });

  it('does not let two attempt ids collide by stripping punctuation ("a-b" vs "ab")', () => {
    expect(orderNo('a-b')).to.not.equal(orderNo('ab'));
  });

  it('is always ≤32 alphanumerics, deterministic, and distinct for distinct attempt ids', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 80 }), (a, b) => {
        const x = orderNo(a);
        expect(x).to.match(/^[A-Za-z0-9]{1,32}$/);
        expect(orderNo(a)).to.equal(x);
        if (a !== b) expect(orderNo(b)).to.not.equal(x);
      }),
      { numRuns: 300 },
    );
  });
});
