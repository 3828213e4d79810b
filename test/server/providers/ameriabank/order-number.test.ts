import { expect } from 'chai';
import { ameriabankProvider } from '../../../../server/providers/ameriabank/index.ts';
import { ProviderError } from '../../../../server/providers/errors.ts';
import { credentials } from './fixtures.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ProviderError);
    return (err as ProviderError).code;
  }
  return undefined;
}

describe('ameriabank orderNo', () => {
  it('walks the bank-issued test range: counter 1 is the first id, the last id is still allowed', () => {
    expect(ameriabankProvider.orderNo({ counter: 1, attemptId: 'a', mode: 'test', credentials })).to.equal('2923001');
    expect(ameriabankProvider.orderNo({ counter: 1000, attemptId: 'a', mode: 'test', credentials })).to.equal('2924000');
  });

  it('refuses test mode without a test range, saying where to get one', () => {
    const { testOrderIdFrom: _f, testOrderIdTo: _t, ...live } = credentials;
    let message = '';
    try {
      ameriabankProvider.orderNo({ counter: 1, attemptId: 'a', mode: 'test', credentials: live });
    } catch (err) {
      expect((err as ProviderError).code).to.equal('ameriabank_test_range_missing');
      message = (err as Error).message;
    }
    expect(message).to.match(/testOrderIdFrom and testOrderIdTo/);
  });

  it("refuses an id past the end of the test range instead of reusing someone else's", () => {
    expect(codeOf(() => ameriabankProvider.orderNo({ counter: 1001, attemptId: 'a', mode: 'test', credentials }))).to.equal(
      'ameriabank_test_range_exhausted',
    );
  });

  it('uses counter (+ orderIdOffset) in live mode and ignores the test range', () => {
    expect(ameriabankProvider.orderNo({ counter: 5, attemptId: 'a', mode: 'live', credentials })).to.equal('5');
    expect(
      ameriabankProvider.orderNo({ counter: 5, attemptId: 'a', mode: 'live', credentials: { ...credentials, orderIdOffset: 900000 } }),
    ).to.equal('900005');
  });

  it("refuses a live OrderID beyond the bank's int range", () => {
    expect(
      codeOf(() =>
        ameriabankProvider.orderNo({
          counter: 10,
          attemptId: 'a',
          mode: 'live',
          credentials: { ...credentials, orderIdOffset: 2_147_483_640 },
        }),
      ),
    ).to.equal('ameriabank_order_id_overflow');
  });

  it('refuses a non-positive counter', () => {
    expect(codeOf(() => ameriabankProvider.orderNo({ counter: 0, attemptId: 'a', mode: 'live', credentials }))).to.equal(
      'ameriabank_bad_counter',
    );
  });
});
