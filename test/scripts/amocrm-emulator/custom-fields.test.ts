import { expect } from 'chai';
import { harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: custom fields and pipelines', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.emu.stop());

  const statusField = {
    type: 'select',
    name: 'Payment status',
    code: 'DRAMLINK_STATUS',
    is_api_only: true,
    enums: [
      { value: 'awaiting_payment', sort: 1, code: 'awaiting_payment' },
      { value: 'paid', sort: 2 },
    ],
  };

  it('creates fields by code with enum ids, and they can be written by field_code right away', async () => {
    const r = await h.api('POST', '/api/v4/leads/custom_fields', [
      { ...statusField, request_id: 's' },
      { type: 'url', name: 'Link', code: 'DRAMLINK_LINK', is_api_only: true },
    ]);
    expect(r.status).to.equal(200);
    const [created, link] = r.json._embedded.custom_fields;
    expect(created).to.include({ code: 'DRAMLINK_STATUS', type: 'select', is_api_only: true, request_id: 's' });
    expect(created.enums.map((e: { id: number }) => typeof e.id)).to.deep.equal(['number', 'number']);
    expect(created.enums[1].code).to.equal(null);
    expect(link.enums).to.equal(null);

    const lead = h.emu.addLead(h.account.id).id;
    const w = await h.api('PATCH', '/api/v4/leads', [
      { id: lead, custom_fields_values: [{ field_code: 'DRAMLINK_STATUS', values: [{ enum_id: created.enums[1].id }] }] },
    ]);
    expect(w.status).to.equal(200);
    expect(h.emu.leadFieldValue(h.account.id, lead, 'DRAMLINK_STATUS')).to.equal('paid');
  });

  it('refuses a code that already exists (install run twice must look fields up first)', async () => {
    await h.api('POST', '/api/v4/leads/custom_fields', [statusField]);
    const again = await h.api('POST', '/api/v4/leads/custom_fields', [statusField]);
    expect(again.status).to.equal(400);
    expect(again.json['validation-errors'][0].errors[0]).to.include({ code: 'NotUnique', path: 'code' });
    expect(h.emu.customFields(h.account.id)).to.have.length(1);
  });

  it('refuses to create fields with a non-admin token', async () => {
    const manager = h.account.users.find((u) => !u.is_admin)!;
    const token = h.emu.issueTokens(h.account.id, { userId: manager.id }).access_token;
    const r = await h.api('POST', '/api/v4/leads/custom_fields', [statusField], token);
    expect(r.status).to.equal(403);
    expect(r.json.title).to.equal('Forbidden');
  });

  it('paginates the field list with _links.next, and the next link stays on the emulator', async () => {
    for (let i = 0; i < 3; i++) h.emu.addCustomField(h.account.id, { type: 'text', name: `F${i}`, code: `F${i}` });
    const p1 = await h.api('GET', '/api/v4/leads/custom_fields?limit=2');
    expect(p1.json._embedded.custom_fields).to.have.length(2);
    const next = new URL(p1.json._links.next.href);
    expect(next.origin).to.equal(h.emu.url);
    const p2 = await h.api('GET', `${next.pathname}${next.search}`);
    expect(p2.json._embedded.custom_fields.map((f: { code: string }) => f.code)).to.deep.equal(['F2']);
    expect(p2.json._links.next).to.equal(undefined);
  });

  it('lists pipelines with statuses, won 142 and lost 143 included', async () => {
    const r = await h.api('GET', '/api/v4/leads/pipelines');
    const [main] = r.json._embedded.pipelines;
    expect(main.is_main).to.equal(true);
    const ids = main._embedded.statuses.map((s: { id: number }) => s.id);
    expect(ids).to.include.members([142, 143]);
    expect(main._embedded.statuses[0]).to.include.keys('id', 'name', 'sort', 'type');
  });
});
