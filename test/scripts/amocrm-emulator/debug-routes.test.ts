import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { call, CLIENT, exchange, harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: playground endpoints (/__emulator)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.emu.stop());

  it('authorize issues a working code with the referer and a ready callback URL', async () => {
    const r = await call(`${h.emu.url}/__emulator/accounts/${h.account.id}/authorize`, 'POST', {});
    expect(r.json.referer).to.equal('shop.amocrm.ru');
    const cb = new URL(r.json.callbackUrl);
    expect(cb.origin + cb.pathname).to.equal(CLIENT.redirectUri);
    expect(cb.searchParams.get('code')).to.equal(r.json.code);
    expect((await exchange(h.emu, { grant_type: 'authorization_code', code: r.json.code })).status).to.equal(200);
  });

  it('disposable-token signs like $authorizedAjax would', async () => {
    const r = await call(`${h.emu.url}/__emulator/accounts/${h.account.id}/disposable-token`, 'POST', {
      userId: h.account.users[1].id,
      isAdmin: false,
    });
    const claims = jwt.verify(r.json.token, CLIENT.clientSecret, {
      audience: 'https://pay.example.am',
      clockTimestamp: Math.floor(h.clock.ms / 1000),
    }) as Record<string, unknown>;
    expect(claims).to.include({ user_id: h.account.users[1].id, is_admin: false });
  });

  it('shows a lead with field values by code, notes and tasks, and is itself not recorded', async () => {
    h.emu.addCustomField(h.account.id, { type: 'text', name: 'Ref', code: 'DRAMLINK_PROVIDER_REF' });
    const lead = h.emu.addLead(h.account.id).id;
    await h.api('PATCH', '/api/v4/leads', [
      { id: lead, custom_fields_values: [{ field_code: 'DRAMLINK_PROVIDER_REF', values: [{ value: 'r-1' }] }] },
    ]);
    await h.api('POST', '/api/v4/leads/notes', [{ entity_id: lead, note_type: 'common', params: { text: 'hi' } }]);
    const before = h.emu.requests.length;
    const r = await call(`${h.emu.url}/__emulator/accounts/${h.account.id}/leads/${lead}`, 'GET');
    expect(r.json.fields.DRAMLINK_PROVIDER_REF).to.deep.equal([{ value: 'r-1' }]);
    expect(r.json.notes).to.have.length(1);
    expect(r.json.tasks).to.deep.equal([]);
    expect(h.emu.requests.length).to.equal(before);

    const log = await call(`${h.emu.url}/__emulator/requests?since=${h.emu.requests[0].seq}`, 'GET');
    expect(log.json.requests.map((x: { path: string }) => x.path)).to.deep.equal(['/api/v4/leads/notes']);
    expect(r.headers.get('access-control-allow-origin')).to.equal('*');
  });
});
