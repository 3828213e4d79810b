import { expect } from 'chai';
import nock from 'nock';
import { eq } from 'drizzle-orm';
import { accountFromRow } from '../../../server/accounts/account.ts';
import { AmocrmError } from '../../../server/amocrm/errors.ts';
import { bodyKindOf, classify } from '../../../server/amocrm/retry-policy.ts';
import { accounts, exceptions } from '../../../server/db/schema.ts';
import { ACCOUNT_ID, BASE, unitHarness, type UnitHarness } from './support/unit-harness.ts';

async function failure(p: Promise<unknown>): Promise<AmocrmError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AmocrmError);
    return err as AmocrmError;
  }
  throw new Error('expected the call to fail');
}

/** What amoCRM answers a method the token's user has no rights for (problem+json). */
const RIGHTS_BODY = JSON.stringify({ title: 'Forbidden', type: 'https://httpstatus.es/403', status: 403, detail: 'Access denied' });
/** amoCRM's IP whitelist refusal: error code 113 (https://www.amocrm.ru/developers/content/crm_platform/error-codes). */
const IP_BODY = JSON.stringify({
  title: 'Forbidden',
  status: 403,
  detail: 'Доступ к данному аккаунту запрещён с Вашего IP адреса',
  error_code: 113,
});

describe('amoCRM 403s told apart by body and endpoint (retry table)', () => {
  const row = (body: string | undefined, path = '/api/v4/leads') => classify({ kind: 'status', status: 403, body, path });

  it('reads an HTML page or an empty body as the account block, JSON as a rights error, code 113 as the IP whitelist', () => {
    expect(bodyKindOf('<html><body>403 Forbidden</body></html>')).to.equal('html');
    expect(bodyKindOf('')).to.equal('empty');
    expect(bodyKindOf(RIGHTS_BODY)).to.equal('json');
    expect(bodyKindOf(IP_BODY)).to.equal('json_ip_refused');
    expect(bodyKindOf('{"error_code":"113"}')).to.equal('json_ip_refused');
    expect(bodyKindOf('{not json')).to.equal('html');
    expect(row('<html>403</html>')!.action).to.equal('block');
    expect(row(undefined)!.action).to.equal('block');
    expect(row(RIGHTS_BODY)).to.include({ action: 'never', code: 'amocrm_forbidden' });
    expect(row(IP_BODY)).to.include({ action: 'ip_refused', code: 'amocrm_ip_not_allowed' });
  });

  it('never reads a 403 on a user lookup (the manager-name list, the admin check) as a block, whatever its body', () => {
    for (const path of ['/api/v4/users', '/api/v4/users/5']) {
      expect(row('<html>403</html>', path)).to.include({ action: 'never', code: 'amocrm_forbidden' });
      expect(row(RIGHTS_BODY, path)).to.include({ action: 'never', code: 'amocrm_forbidden' });
    }
    expect(row('<html>403</html>', '/api/v4/usersx')!.action).to.equal('block');
  });
});

describe('amoCRM client: what each kind of 403 does to the account (nock at the transport)', () => {
  let h: UnitHarness;
  beforeEach(async () => {
    h = await unitHarness();
  });
  afterEach(() => {
    nock.cleanAll();
    h.close();
  });
  const state = () => h.database.db.select().from(accounts).where(eq(accounts.id, ACCOUNT_ID)).get()!.state;
  const open = () =>
    h.database.db
      .select()
      .from(exceptions)
      .all()
      .filter((x) => x.resolvedAt === null);

  it('a JSON rights error fails that call with amocrm_forbidden, once, and the account keeps working', async () => {
    nock(BASE).get('/api/v4/leads/pipelines').reply(403, RIGHTS_BODY, { 'content-type': 'application/problem+json' });
    const err = await failure(h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/leads/pipelines' }));
    expect(err.code).to.equal('amocrm_forbidden');
    expect(err.retryable).to.equal(false);
    expect(err.accountLevel).to.equal(false);
    expect(err.message).to.match(/no rights for this call/);
    expect(state()).to.equal('active');
    expect(open()).to.deep.equal([]);
    nock(BASE).get('/api/v4/leads/1').reply(200, { id: 1 });
    expect((await h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/leads/1' })).data).to.deep.equal({ id: 1 });
  });

  it('the manager-name lookup answered 403 (even the HTML page) never blocks sync: the next write goes out', async () => {
    nock(BASE).get('/api/v4/users').query(true).reply(403, '<html>403 Forbidden</html>');
    const amocrm = h.amocrm.client.forAccount(accountFromRow(h.database.db.select().from(accounts).get()!));
    expect((await failure(amocrm.users.list())).code).to.equal('amocrm_forbidden');
    expect(state()).to.equal('active');
    const patch = nock(BASE).patch('/api/v4/leads').reply(200, {});
    await h.amocrm.client.request(ACCOUNT_ID, { method: 'PATCH', path: '/api/v4/leads', body: [] });
    patch.done();
  });

  it('a 403 naming the IP whitelist pauses the account like a block, with its own exception saying which setting to change', async () => {
    nock(BASE).get('/api/v4/leads/1').reply(403, IP_BODY, { 'content-type': 'application/json' });
    const err = await failure(h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/leads/1' }));
    expect(err.code).to.equal('amocrm_ip_not_allowed');
    expect(err.accountLevel).to.equal(true);
    expect(err.message).to.match(/IP address/);
    expect(state()).to.equal('blocked');
    expect(open().map((x) => [x.kind, x.reason, x.dedupeKey])).to.deep.equal([
      ['account_blocked', 'ip_not_allowed', 'account_ip_not_allowed'],
    ]);
    // No call during the cool-down (nock has nothing left to answer with).
    expect((await failure(h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/leads/1' }))).code).to.equal(
      'amocrm_account_blocked',
    );
    // Once the address is allowed, the probe's answer lifts the pause and closes the exception.
    h.clock.advance(10 * 60_000);
    nock(BASE).get('/api/v4/leads/1').reply(200, { id: 1 });
    await h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/leads/1' });
    expect(state()).to.equal('active');
    expect(open()).to.deep.equal([]);
  });
});
