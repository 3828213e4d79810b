import { expect } from 'chai';
import { crmRefusal, mayCallAmocrm, standingOf, widgetRefusal } from '../../../server/accounts/account-standing.ts';
import { ACCOUNT_STATES, type AccountState } from '../../../server/accounts/account.ts';

const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);
const account = (state: AccountState, blockedUntil: number | null = null) => ({ id: 7, state, blockedUntil });

describe('account standing: the one judgement of what an account state allows', () => {
  it('a blocked account waits out its cool-down, then exactly one probe is due', () => {
    expect(standingOf(account('blocked', NOW + 1), NOW)).to.deep.equal({ kind: 'blocked', until: NOW + 1 });
    expect(standingOf(account('blocked', NOW), NOW)).to.deep.equal({ kind: 'probe_due' });
    expect(standingOf(account('blocked', null), NOW)).to.deep.equal({ kind: 'probe_due' });
    expect(mayCallAmocrm(account('blocked', NOW + 1), NOW)).to.equal(false);
    expect(mayCallAmocrm(account('blocked', NOW - 1), NOW)).to.equal(true);
  });

  it('refuses an amoCRM call for every state but active and a due probe, with the code the sync worker branches on', () => {
    const codes = ACCOUNT_STATES.map((s) => [s, crmRefusal(account(s, NOW + 60_000), NOW)?.code ?? null]);
    expect(codes).to.deep.equal([
      ['active', null],
      ['needs_reconnect', 'amocrm_needs_reconnect'],
      ['disconnected', 'amocrm_not_connected'],
      ['blocked', 'amocrm_account_blocked'],
    ]);
    expect(crmRefusal(account('blocked', NOW + 60_000), NOW)?.blockedUntil).to.equal(NOW + 60_000);
    expect(crmRefusal(account('blocked', NOW - 1), NOW)).to.equal(undefined);
  });

  it('lets widget reads through while the account must reconnect or is blocked, refuses writes, and refuses everything once disconnected', () => {
    const refusals = ACCOUNT_STATES.flatMap((s) =>
      ['GET', 'POST', 'PUT'].map((m) => `${s} ${m}: ${widgetRefusal({ state: s }, m)?.code ?? 'ok'}`),
    );
    expect(refusals).to.deep.equal([
      'active GET: ok',
      'active POST: ok',
      'active PUT: ok',
      'needs_reconnect GET: ok',
      'needs_reconnect POST: account_needs_reconnect',
      'needs_reconnect PUT: account_needs_reconnect',
      'disconnected GET: account_not_connected',
      'disconnected POST: account_not_connected',
      'disconnected PUT: account_not_connected',
      'blocked GET: ok',
      'blocked POST: account_blocked',
      'blocked PUT: account_blocked',
    ]);
    expect(widgetRefusal({ state: 'blocked' }, 'POST')?.status).to.equal(409);
  });
});
