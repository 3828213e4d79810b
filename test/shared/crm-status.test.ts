import { expect } from 'chai';
import { CRM_STATUSES, crmStatusOf, leadCrmStatusOf, type CrmStatus } from '../../shared/crm-status.ts';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../shared/status.ts';

/** docs/architecture.md, "Status rules": what a manager must see for every payment state. */
const TABLE: Array<[PaymentStatus, boolean, CrmStatus]> = [
  ['awaiting', false, 'awaiting_payment'],
  ['paid', false, 'paid'],
  ['partially_refunded', false, 'partial_refund'],
  ['refunded', false, 'full_refund'],
  ['failed', false, 'payment_failed'],
  ['expired', false, 'expired'],
  ['cancelled', false, 'expired'],
  ['awaiting', true, 'manual_review'],
  ['paid', true, 'manual_review'],
  ['partially_refunded', true, 'manual_review'],
  ['refunded', true, 'manual_review'],
  ['failed', true, 'manual_review'],
  ['expired', true, 'manual_review'],
  ['cancelled', true, 'manual_review'],
];

describe('shared/crm-status', () => {
  it('the table covers every payment status with and without review', () => {
    const keys = new Set(TABLE.map(([s, r]) => `${s}/${r}`));
    for (const s of PAYMENT_STATUSES) for (const r of [false, true]) expect(keys.has(`${s}/${r}`), `${s}/${r}`).to.equal(true);
    expect(TABLE).to.have.length(PAYMENT_STATUSES.length * 2);
  });

  for (const [status, needsReview, crm] of TABLE) {
    it(`shows ${crm} for a ${status} payment${needsReview ? ' that needs review' : ''}`, () => {
      expect(crmStatusOf({ status, needsReview })).to.equal(crm);
    });
  }

  it('uses each of the seven CRM statuses for some payment state, and only those', () => {
    const used = new Set(TABLE.map(([, , c]) => c));
    expect([...used].sort()).to.deep.equal([...CRM_STATUSES].sort());
  });

  describe('leadCrmStatusOf', () => {
    it('gives a lead without payments no CRM status rather than a made-up one', () => {
      expect(leadCrmStatusOf([])).to.equal(null);
    });

    it('shows the newest payment, not an older expired one', () => {
      expect(
        leadCrmStatusOf([
          { status: 'awaiting', needsReview: false },
          { status: 'expired', needsReview: false },
        ]),
      ).to.equal('awaiting_payment');
      expect(
        leadCrmStatusOf([
          { status: 'paid', needsReview: false },
          { status: 'failed', needsReview: false },
        ]),
      ).to.equal('paid');
    });

    it('does not hide an older payment that needs review behind a newer paid one', () => {
      expect(
        leadCrmStatusOf([
          { status: 'paid', needsReview: false },
          { status: 'paid', needsReview: true },
        ]),
      ).to.equal('manual_review');
    });

    it('shows the single payment as crmStatusOf does', () => {
      for (const [status, needsReview, crm] of TABLE) expect(leadCrmStatusOf([{ status, needsReview }])).to.equal(crm);
    });
  });
});
