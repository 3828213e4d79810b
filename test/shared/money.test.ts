import { expect } from 'chai';
import fc from 'fast-check';
import {
  CURRENCY_CODES,
  MAX_AMOUNT_MINOR,
  currencyFromNumeric,
  formatMoney,
  isCurrency,
  isValidAmountMinor,
  majorToMinor,
  minorToMajorString,
} from '../../shared/money.ts';

/** The decimal string of an integer minor amount, built from digits only (no arithmetic on floats). */
function expectedMajor(minor: number): string {
  const digits = String(minor).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

describe('shared/money', () => {
  describe('minorToMajorString', () => {
    it('does not lose a cent on the largest allowed amount (10^12 minor)', () => {
      expect(minorToMajorString(MAX_AMOUNT_MINOR, 'AMD')).to.equal('10000000000.00');
      expect(minorToMajorString(MAX_AMOUNT_MINOR - 1, 'USD')).to.equal('9999999999.99');
    });

    it('keeps leading zeros of the fraction instead of printing 0.5 for 5 minor', () => {
      expect(minorToMajorString(5, 'AMD')).to.equal('0.05');
      expect(minorToMajorString(50, 'AMD')).to.equal('0.50');
      expect(minorToMajorString(0, 'AMD')).to.equal('0.00');
      expect(minorToMajorString(190000, 'AMD')).to.equal('1900.00');
    });

    it('trims only trailing zeros when asked, never significant digits', () => {
      expect(minorToMajorString(190000, 'AMD', { trim: true })).to.equal('1900');
      expect(minorToMajorString(190050, 'AMD', { trim: true })).to.equal('1900.5');
      expect(minorToMajorString(190005, 'AMD', { trim: true })).to.equal('1900.05');
      expect(minorToMajorString(100, 'EUR', { trim: true })).to.equal('1');
    });

    it('refuses a fractional or non-finite minor amount instead of rounding it', () => {
      for (const bad of [1.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
        expect(() => minorToMajorString(bad, 'AMD'), String(bad)).to.throw(RangeError);
      }
    });

    it('prints the exact digits for every integer amount up to 10^12 (no binary float on the way)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: MAX_AMOUNT_MINOR }), (minor) => {
          expect(minorToMajorString(minor, 'AMD')).to.equal(expectedMajor(minor));
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('majorToMinor', () => {
    it('reads "1900.00", "1900.0", "1900" and the number 1900 as 190000', () => {
      for (const v of ['1900.00', '1900.0', '1900', ' 1900.00 ', 1900]) {
        expect(majorToMinor(v, 'AMD'), JSON.stringify(v)).to.equal(190000);
      }
    });

    it('reads the 10^12 boundary exactly', () => {
      expect(majorToMinor('10000000000.00', 'AMD')).to.equal(MAX_AMOUNT_MINOR);
      expect(majorToMinor('9999999999.99', 'AMD')).to.equal(MAX_AMOUNT_MINOR - 1);
    });

    it('rejects a third decimal digit ("10.005") instead of silently losing half a cent', () => {
      expect(majorToMinor('10.005', 'AMD')).to.equal(undefined);
      expect(majorToMinor(10.005, 'AMD')).to.equal(undefined);
      // A trailing zero is not money: "10.050" is 10.05.
      expect(majorToMinor('10.050', 'AMD')).to.equal(1005);
    });

    it('rejects a float that is not the decimal it looks like (0.1 + 0.2) instead of rounding', () => {
      expect(majorToMinor(0.1 + 0.2, 'AMD')).to.equal(undefined);
      // Would be 1914.9999999999998 minor units if computed as 19.15 * 100.
      expect(majorToMinor(19.15, 'AMD')).to.equal(1915);
      expect(majorToMinor('19.15', 'AMD')).to.equal(1915);
    });

    it('rejects negatives, exponents, signs, blanks, words and non-finite numbers', () => {
      for (const v of ['-5', '+5', '1e3', '', ' ', 'abc', '12.', '.5', '1 000', '0x10', 'NaN']) {
        expect(majorToMinor(v, 'AMD'), JSON.stringify(v)).to.equal(undefined);
      }
      for (const v of [-5, Number.NaN, Number.POSITIVE_INFINITY, 1e21]) {
        expect(majorToMinor(v, 'AMD'), String(v)).to.equal(undefined);
      }
    });

    it('rejects amounts beyond the safe integer range instead of returning a rounded number', () => {
      expect(majorToMinor('90071992547409.93', 'AMD')).to.equal(undefined);
      expect(majorToMinor('99999999999999999999', 'AMD')).to.equal(undefined);
    });

    it('round-trips every integer amount up to 10^12 through its decimal string', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: MAX_AMOUNT_MINOR }),
          fc.constantFrom(...CURRENCY_CODES),
          fc.boolean(),
          (minor, currency, trim) => {
            expect(majorToMinor(minorToMajorString(minor, currency, { trim }), currency)).to.equal(minor);
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe('validation helpers', () => {
    it('accepts only whole positive minor amounts up to 10^12', () => {
      expect(isValidAmountMinor(1)).to.equal(true);
      expect(isValidAmountMinor(MAX_AMOUNT_MINOR)).to.equal(true);
      for (const bad of [0, -1, 1.5, MAX_AMOUNT_MINOR + 1, Number.NaN, Number.POSITIVE_INFINITY, '100', null, undefined, {}]) {
        expect(isValidAmountMinor(bad), String(bad)).to.equal(false);
      }
    });

    it('knows exactly AMD, USD, EUR and RUB, case-sensitively, and nothing from the prototype', () => {
      for (const c of ['AMD', 'USD', 'EUR', 'RUB']) expect(isCurrency(c)).to.equal(true);
      for (const c of ['amd', 'GBP', '', 'toString', '__proto__', 51, null]) expect(isCurrency(c), String(c)).to.equal(false);
    });

    it('maps ISO numeric codes, padded or not, and nothing else', () => {
      expect(currencyFromNumeric('051')).to.equal('AMD');
      expect(currencyFromNumeric('51')).to.equal('AMD');
      expect(currencyFromNumeric('840')).to.equal('USD');
      expect(currencyFromNumeric('978')).to.equal('EUR');
      expect(currencyFromNumeric('643')).to.equal('RUB');
      expect(currencyFromNumeric('826')).to.equal(undefined);
    });

    it('formats money for people without trailing zeros', () => {
      expect(formatMoney(190050, 'AMD')).to.equal('1\u00a0900.5\u00a0AMD');
      expect(formatMoney(MAX_AMOUNT_MINOR, 'USD')).to.equal('10\u00a0000\u00a0000\u00a0000\u00a0USD');
    });
  });
});
