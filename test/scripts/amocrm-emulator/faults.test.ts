import { expect } from 'chai';
import { harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: fault injection', () => {
  let h: Harness;
  let lead: number;
  beforeEach(async () => {
    h = await harness({ rps: Infinity });
    lead = h.emu.addLead(h.account.id, { price: 100 }).id;
  });
  afterEach(() => h.emu.stop());

  it('answers an injected status once by default, then behaves normally', async () => {
    h.emu.faults.add({ method: 'GET', path: '/api/v4/account', status: 502 });
    const faulted = await h.api('GET', '/api/v4/account');
    expect(faulted.status).to.equal(502);
    expect(faulted.text).to.match(/502 Bad Gateway/);
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(200);
    expect(h.emu.requests.map((r) => r.fault)).to.deep.equal(['status', undefined]);
    expect(h.emu.faults.pending).to.equal(0);
  });

  it('matches by RegExp path, counts hits, and keeps going with times: Infinity until removed', async () => {
    const fault = h.emu.faults.add({ path: /^\/api\/v4\/leads/, status: 500, body: '{"oops":1}', times: Infinity });
    expect((await h.api('GET', `/api/v4/leads/${lead}`)).json).to.deep.equal({ oops: 1 });
    expect((await h.api('PATCH', '/api/v4/leads', [{ id: lead, price: 1 }])).status).to.equal(500);
    expect(fault.hits).to.equal(2);
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(200);
    fault.remove();
    expect((await h.api('GET', `/api/v4/leads/${lead}`)).status).to.equal(200);
    expect(h.emu.getLead(h.account.id, lead)!.price).to.equal(100);
  });

  it('delays an answer without changing it', async () => {
    h.emu.faults.add({ path: '/api/v4/account', delayMs: 80 });
    const started = Date.now();
    const r = await h.api('GET', '/api/v4/account');
    expect(r.status).to.equal(200);
    expect(Date.now() - started).to.be.at.least(70);
    expect(h.emu.requests.at(-1)!.fault).to.equal('delay');
  });

  it('fails just the matching batch item with a validation error and applies nothing', async () => {
    const other = h.emu.addLead(h.account.id, { price: 5 }).id;
    const poison = h.emu.faults.add({
      method: 'PATCH',
      path: '/api/v4/leads',
      failItem: { matcher: (item) => (item as { id: number }).id === other },
      times: Infinity,
    });
    const r = await h.api('PATCH', '/api/v4/leads', [
      { id: lead, price: 1 },
      { id: other, price: 2, request_id: 'bad' },
    ]);
    expect(r.status).to.equal(400);
    expect(r.json['validation-errors'].map((e: { request_id: string }) => e.request_id)).to.deep.equal(['bad']);
    expect(h.emu.getLead(h.account.id, lead)!.price).to.equal(100);
    // A batch without the poisoned item goes through: what batch splitting relies on.
    expect((await h.api('PATCH', '/api/v4/leads', [{ id: lead, price: 1 }])).status).to.equal(200);
    expect(h.emu.getLead(h.account.id, lead)!.price).to.equal(1);
    expect(poison.hits).to.equal(1);
  });

  it('fails an item by index', async () => {
    h.emu.faults.add({ path: '/api/v4/leads/notes', failItem: { index: 1, path: 'params.text', code: 'InvalidValue' } });
    const notes = [0, 1].map((i) => ({ entity_id: lead, note_type: 'common', params: { text: `n${i}` } }));
    const r = await h.api('POST', '/api/v4/leads/notes', notes);
    expect(r.json['validation-errors']).to.deep.equal([
      { request_id: '1', errors: [{ code: 'InvalidValue', path: 'params.text', detail: 'Injected validation error' }] },
    ]);
    expect(h.emu.notes(h.account.id)).to.have.length(0);
  });

  it('applyThenFail writes the note, then answers 504: a retry must check before writing again', async () => {
    h.emu.faults.add({ method: 'POST', path: '/api/v4/leads/notes', applyThenFail: true, status: 504 });
    const r = await h.api('POST', '/api/v4/leads/notes', [{ entity_id: lead, note_type: 'common', params: { text: 'x' } }]);
    expect(r.status).to.equal(504);
    expect(h.emu.notes(h.account.id, lead)).to.have.length(1);
    expect(h.emu.requests.at(-1)).to.include({ status: 504, fault: 'applyThenFail' });
  });

  it('applyThenFail with a hang lets the client time out after the write happened', async () => {
    h.emu.faults.add({ method: 'PATCH', path: '/api/v4/leads', applyThenFail: true, delayMs: 10_000 });
    const aborted = await fetch(`${h.emu.url}/api/v4/leads`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${h.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ id: lead, price: 999 }]),
      signal: AbortSignal.timeout(100),
    }).then(
      () => 'answered',
      (err: Error) => err.name,
    );
    expect(aborted).to.equal('TimeoutError');
    expect(h.emu.getLead(h.account.id, lead)!.price).to.equal(999);
  });

  it('drops the connection without an answer, and records status 0', async () => {
    h.emu.faults.add({ path: '/api/v4/account', dropConnection: true });
    const outcome = await h.api('GET', '/api/v4/account').then(
      () => 'answered',
      () => 'dropped',
    );
    expect(outcome).to.equal('dropped');
    expect(h.emu.requests.at(-1)).to.include({ status: 0, fault: 'drop' });
  });

  it('targets one account only when accountId is given', async () => {
    const other = h.emu.addAccount();
    const otherToken = h.emu.issueTokens(other.id).access_token;
    h.emu.faults.add({ accountId: other.id, status: 503, times: Infinity });
    expect((await h.api('GET', '/api/v4/account')).status).to.equal(200);
    expect((await h.api('GET', '/api/v4/account', undefined, otherToken)).status).to.equal(503);
    h.emu.faults.clear();
    expect((await h.api('GET', '/api/v4/account', undefined, otherToken)).status).to.equal(200);
  });

  it('records every request with its account, parsed body and status', async () => {
    h.emu.clearRequests();
    await h.api('PATCH', '/api/v4/leads', [{ id: lead, price: 3 }]);
    const [rec] = h.emu.requests;
    expect(rec).to.include({ method: 'PATCH', path: '/api/v4/leads', status: 200, accountId: h.account.id, at: h.clock.ms });
    expect(rec.body).to.deep.equal([{ id: lead, price: 3 }]);
    expect(rec.durationMs).to.be.a('number');
  });
});
