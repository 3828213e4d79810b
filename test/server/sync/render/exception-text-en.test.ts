import { expect } from 'chai';
import { ENGLISH } from '../../../../server/sync/render/strings-en.ts';

const at = { leadId: 70, paymentId: null };
const text = (detail: Parameters<typeof ENGLISH.exception>[0]) => ENGLISH.exception(detail, at, ENGLISH);

describe('server/sync/render English exception texts (rendered where exceptions are read)', () => {
  it('says how long a blocked account waits, from the stored cool-down', () => {
    expect(text({ kind: 'account_blocked', reason: 'amocrm_403', data: { cooldownMinutes: 25 } }).message).to.match(
      /probes again after 25 minutes/,
    );
  });

  it('names the lead, the tries and the error of a failing sync', () => {
    const t = text({ kind: 'sync_failing', reason: 'retrying', data: { attempts: 8, error: 'HTTP 503', retryEveryMinutes: 30 } });
    expect(t.message).to.equal(
      'dramlink could not update lead 70 in amoCRM after 8 attempts (HTTP 503). The payment data is safe; dramlink keeps retrying every 30 minutes.',
    );
    expect(t.action).to.match(/reachable/);
  });

  it('says which kind of write amoCRM rejected', () => {
    expect(
      text({ kind: 'sync_failing', reason: 'rejected', data: { jobKind: 'lead_update', error: 'field 12 missing' } }).message,
    ).to.equal('amoCRM rejected a lead update for lead 70: field 12 missing');
  });

  it('tells an admin to reinstall when amoCRM refused the tokens, also when only the account state shows it', () => {
    expect(text({ kind: 'account_needs_reconnect', reason: 'token_refused', data: {} }).action).to.match(/install dramlink again/);
    expect(text({ kind: 'account_needs_reconnect', reason: 'account_state', data: {} }).action).to.match(/reinstalls/);
  });

  it('still says what a review is about when older data lacks the amount', () => {
    const t = text({ kind: 'needs_review', reason: 'double_payment', data: {} as never });
    expect(t.message).to.equal('dramlink: check the payment: the customer paid twice for this payment');
  });
});
