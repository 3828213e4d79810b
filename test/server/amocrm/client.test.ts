import { expect } from 'chai';
import nock from 'nock';
import { eq } from 'drizzle-orm';
import { AmocrmError } from '../../../server/amocrm/errors.ts';
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

describe('amoCRM client: the retry table (nock at the transport)', () => {
  let h: UnitHarness;
  beforeEach(async () => {
    h = await unitHarness();
  });
  afterEach(() => {
    nock.cleanAll();
    h.close();
  });

  const get = () => h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/leads/1' });

  it('sends the bearer token to https://{subdomain}.{domain} and parses the JSON answer', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: 'Bearer access-1' } })
      .get('/api/v4/leads/1')
      .reply(200, { id: 1 });
    const res = await get();
    expect(res).to.deep.equal({ status: 200, data: { id: 1 } });
    scope.done();
  });

  it('retries network errors and 5xx with a back-off of at least 1 s that grows', async () => {
    const scope = nock(BASE)
      .get('/api/v4/leads/1')
      .replyWithError('socket hang up')
      .get('/api/v4/leads/1')
      .reply(502, '<html>bad gateway</html>')
      .get('/api/v4/leads/1')
      .reply(200, { id: 1 });
    const t0 = h.clock.now();
    expect((await get()).data).to.deep.equal({ id: 1 });
    scope.done();
    expect(h.clock.sleeps.filter((ms) => ms >= 1000)).to.deep.equal([1000, 2000]);
    expect(h.clock.now() - t0).to.be.at.least(3000);
  });

  for (const status of [400, 402, 404]) {
    it(`never retries a ${status}: one request, a typed error`, async () => {
      const scope = nock(BASE).get('/api/v4/leads/1').times(5).reply(status, { title: 'nope', detail: 'no such thing' });
      const err = await failure(get());
      expect(err.httpStatus).to.equal(status);
      expect(err.retryable).to.equal(false);
      expect(scope.pendingMocks()).to.have.length(1); // 4 of the 5 interceptors left unused
      expect(h.clock.sleeps.filter((ms) => ms >= 1000)).to.deep.equal([]);
    });
  }

  it("carries amoCRM's validation errors on a 400", async () => {
    nock(BASE)
      .patch('/api/v4/leads')
      .reply(400, {
        'validation-errors': [
          { request_id: '1', errors: [{ code: 'NotSupportedChoice', path: 'custom_fields_values.0.field_id', detail: 'bad' }] },
        ],
        status: 400,
      });
    const err = await failure(
      h.amocrm.client.request(ACCOUNT_ID, { method: 'PATCH', path: '/api/v4/leads', body: [{ id: 1 }, { id: 2 }] }),
    );
    expect(err.code).to.equal('amocrm_validation_failed');
    expect(err.validationErrors![0].request_id).to.equal('1');
  });

  it('does not repeat a POST after a 5xx that may hide a success, and says so', async () => {
    const scope = nock(BASE).post('/api/v4/leads/notes').times(3).reply(503, 'down');
    const err = await failure(h.amocrm.client.request(ACCOUNT_ID, { method: 'POST', path: '/api/v4/leads/notes', body: [{}] }));
    expect(err.code).to.equal('amocrm_server_error');
    expect(err.ambiguous).to.equal(true);
    expect(scope.pendingMocks()).to.have.length(1);
  });

  it('gives up after the configured retries with the last error', async () => {
    nock(BASE).get('/api/v4/leads/1').times(4).reply(500, 'boom');
    const err = await failure(get());
    expect(err.code).to.equal('amocrm_server_error');
    expect(err.retryable).to.equal(true);
    expect(nock.isDone()).to.equal(true);
  });

  it('on 429 honours Retry-After and sends no request of the account inside the back-off', async () => {
    const times: number[] = [];
    nock(BASE)
      .get(/\/api\/v4\/leads\/\d+/)
      .reply(() => {
        times.push(h.clock.now());
        return [429, '<html>Too Many Requests</html>', { 'retry-after': '5' }];
      })
      .get(/\/api\/v4\/leads\/\d+/)
      .times(10)
      .reply(() => {
        times.push(h.clock.now());
        return [200, {}];
      });
    const first = h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: '/api/v4/leads/1' });
    // The others start once the 429 is in (requests already on the wire before it cannot know).
    while ((await h.amocrm.budget.pausedUntil(ACCOUNT_ID)) === 0) await new Promise((r) => setTimeout(r, 2));
    const others = Array.from({ length: 5 }, (_, i) =>
      h.amocrm.client.request(ACCOUNT_ID, { method: 'GET', path: `/api/v4/leads/${i + 2}` }),
    );
    await Promise.all([first, ...others]);
    expect(times).to.have.length(7);
    const [limitedAt, ...after] = times;
    for (const t of after) expect(t - limitedAt).to.be.at.least(5000);
  });

  it('on 429 without Retry-After waits at least 1 s', async () => {
    const times: number[] = [];
    nock(BASE)
      .get('/api/v4/leads/1')
      .reply(() => {
        times.push(h.clock.now());
        return [429, 'slow down'];
      })
      .get('/api/v4/leads/1')
      .reply(() => {
        times.push(h.clock.now());
        return [200, {}];
      });
    await get();
    expect(times[1] - times[0]).to.be.at.least(1000);
  });

  it('fails a 429 whose Retry-After is too long to wait inline, leaving the account paused', async () => {
    nock(BASE).get('/api/v4/leads/1').reply(429, 'later', { 'retry-after': '300' });
    const err = await failure(get());
    expect(err.code).to.equal('amocrm_rate_limited');
    expect(err.retryAfterMs).to.equal(300_000);
    expect(await h.amocrm.budget.pausedUntil(ACCOUNT_ID)).to.be.at.least(h.clock.now() + 299_000);
  });

  it('refreshes once on 401 and repeats the call with the new token', async () => {
    const scope = nock(BASE)
      .get('/api/v4/leads/1')
      .matchHeader('authorization', 'Bearer access-1')
      .reply(401, { title: 'Unauthorized' })
      .post('/oauth2/access_token', (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'refresh-1')
      .reply(200, { token_type: 'Bearer', expires_in: 86400, access_token: 'access-2', refresh_token: 'refresh-2' })
      .get('/api/v4/leads/1')
      .matchHeader('authorization', 'Bearer access-2')
      .reply(200, { id: 1 });
    expect((await get()).data).to.deep.equal({ id: 1 });
    scope.done();
  });

  it('fails on a second 401 instead of refreshing in a loop', async () => {
    const scope = nock(BASE)
      .get('/api/v4/leads/1')
      .reply(401, {})
      .post('/oauth2/access_token')
      .reply(200, { token_type: 'Bearer', expires_in: 86400, access_token: 'access-2', refresh_token: 'refresh-2' })
      .get('/api/v4/leads/1')
      .reply(401, {});
    const err = await failure(get());
    expect(err.code).to.equal('amocrm_unauthorized');
    scope.done();
  });

  it('on 403 blocks the account: an exception, no further call until the cool-down of at least 10 minutes ends, then one probe', async () => {
    nock(BASE).get('/api/v4/leads/1').reply(403, '<html>403 Forbidden</html>');
    const blocked = await failure(get());
    expect(blocked.code).to.equal('amocrm_account_blocked');
    const { db } = h.database;
    const row = db.select().from(accounts).where(eq(accounts.id, ACCOUNT_ID)).get()!;
    expect(row.state).to.equal('blocked');
    expect(row.blockedUntil! - h.clock.now()).to.be.at.least(10 * 60_000);
    const open = db.select().from(exceptions).all();
    expect(open.map((x) => [x.kind, x.resolvedAt])).to.deep.equal([['account_blocked', null]]);

    // Nothing reaches amoCRM during the cool-down (nock has no interceptor: a request would fail differently).
    h.clock.advance(9 * 60_000 + 59_000);
    for (let i = 0; i < 5; i++) expect((await failure(get())).code).to.equal('amocrm_account_blocked');
    expect(nock.pendingMocks()).to.deep.equal([]);

    // After the cool-down exactly one probe goes out; a 200 lifts the block and resolves the exception.
    h.clock.advance(2_000);
    const probe = nock(BASE).get('/api/v4/leads/1').reply(200, { id: 1 });
    expect((await get()).data).to.deep.equal({ id: 1 });
    probe.done();
    expect(db.select().from(accounts).where(eq(accounts.id, ACCOUNT_ID)).get()!.state).to.equal('active');
    expect(db.select().from(exceptions).get()!.resolvedAt).to.be.a('number');
  });

  it('a probe answered 403 again starts a new cool-down', async () => {
    nock(BASE).get('/api/v4/leads/1').times(2).reply(403, 'blocked');
    await failure(get());
    h.clock.advance(10 * 60_000);
    expect((await failure(get())).code).to.equal('amocrm_account_blocked');
    const row = h.database.db.select().from(accounts).get()!;
    expect(row.state).to.equal('blocked');
    expect(row.blockedUntil! - h.clock.now()).to.be.at.least(10 * 60_000);
    expect(nock.isDone()).to.equal(true);
  });

  it('lets only one of many concurrent calls probe after the cool-down', async () => {
    nock(BASE).get('/api/v4/leads/1').reply(403, 'blocked');
    await failure(get());
    h.clock.advance(10 * 60_000);
    const probe = nock(BASE).get('/api/v4/leads/1').delay(20).reply(403, 'still blocked');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => get()));
    expect(results.every((r) => r.status === 'rejected')).to.equal(true);
    probe.done();
  });
});
