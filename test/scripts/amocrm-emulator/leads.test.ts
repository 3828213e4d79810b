import { expect } from 'chai';
import { harness, type Harness } from './helpers.ts';

const STATUSES = ['awaiting_payment', 'paid', 'payment_failed', 'expired', 'manual_review', 'partial_refund', 'full_refund'];

describe('amocrm-emulator: leads', () => {
  let h: Harness;
  let leadA: number;
  let leadB: number;
  beforeEach(async () => {
    h = await harness();
    h.emu.addCustomField(h.account.id, {
      type: 'select',
      name: 'Payment status',
      code: 'DRAMLINK_STATUS',
      is_api_only: true,
      enums: STATUSES.map((s, i) => ({ value: s, sort: i, code: s })),
    });
    h.emu.addCustomField(h.account.id, { type: 'numeric', name: 'Amount', code: 'DRAMLINK_AMOUNT', is_api_only: true });
    h.emu.addCustomField(h.account.id, { type: 'date_time', name: 'Paid at', code: 'DRAMLINK_PAID_AT', is_api_only: true });
    leadA = h.emu.addLead(h.account.id, { name: 'A', price: 1000 }).id;
    leadB = h.emu.addLead(h.account.id, { name: 'B', price: 2000 }).id;
  });
  afterEach(() => h.emu.stop());

  it('reads a lead, and answers 404 with an empty body for a missing one', async () => {
    const r = await h.api('GET', `/api/v4/leads/${leadA}`);
    expect(r.status).to.equal(200);
    expect(r.json).to.include({ id: leadA, name: 'A', price: 1000, custom_fields_values: null });
    const missing = await h.api('GET', '/api/v4/leads/999');
    expect(missing.status).to.equal(404);
    expect(missing.text).to.equal('');
  });

  it('filters the list by id with bracketed query params, and answers 204 when nothing matches', async () => {
    const r = await h.api('GET', `/api/v4/leads?filter[id][]=${leadB}`);
    expect(r.json._embedded.leads.map((l: { id: number }) => l.id)).to.deep.equal([leadB]);
    expect((await h.api('GET', '/api/v4/leads?filter[id][]=1')).status).to.equal(204);
  });

  it('stores values written by field_code so getLead shows both field_code and field_id', async () => {
    const fields = h.emu.customFields(h.account.id);
    const amountId = fields.find((f) => f.code === 'DRAMLINK_AMOUNT')!.id;
    const r = await h.api('PATCH', '/api/v4/leads', [
      {
        id: leadA,
        price: 1500,
        request_id: 'lead-a',
        custom_fields_values: [
          { field_code: 'DRAMLINK_STATUS', values: [{ enum_code: 'paid' }] },
          { field_id: amountId, values: [{ value: 15 }] },
          { field_code: 'DRAMLINK_PAID_AT', values: [{ value: '2026-01-15T10:00:00+04:00' }] },
        ],
      },
    ]);
    expect(r.status).to.equal(200);
    expect(r.json._embedded.leads[0]).to.include({ id: leadA, request_id: 'lead-a' });
    const lead = h.emu.getLead(h.account.id, leadA)!;
    expect(lead.price).to.equal(1500);
    const status = lead.custom_fields_values!.find((v) => v.field_code === 'DRAMLINK_STATUS')!;
    expect(status.field_id).to.be.a('number');
    expect(status.values[0]).to.include({ value: 'paid', enum_code: 'paid' });
    expect(lead.custom_fields_values!.find((v) => v.field_id === amountId)!.field_code).to.equal('DRAMLINK_AMOUNT');
    expect(h.emu.leadFieldValue(h.account.id, leadA, 'DRAMLINK_PAID_AT')).to.equal(Date.parse('2026-01-15T06:00:00Z') / 1000);
  });

  it('rejects the whole batch when one item is bad, naming only that item, and applies nothing', async () => {
    const r = await h.api('PATCH', '/api/v4/leads', [
      { id: leadA, price: 7, custom_fields_values: [{ field_code: 'DRAMLINK_STATUS', values: [{ value: 'paid' }] }] },
      { id: leadB, custom_fields_values: [{ field_code: 'DRAMLINK_STATUS', values: [{ value: 'almost_paid' }] }] },
    ]);
    expect(r.status).to.equal(400);
    expect(r.json).to.include({
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    });
    expect(r.json['validation-errors']).to.deep.equal([
      {
        request_id: '1',
        errors: [
          {
            code: 'NotSupportedChoice',
            path: 'custom_fields_values.0.values.0.value',
            detail: r.json['validation-errors'][0].errors[0].detail,
          },
        ],
      },
    ]);
    expect(h.emu.getLead(h.account.id, leadA)!.price).to.equal(1000);
    expect(h.emu.getLead(h.account.id, leadA)!.custom_fields_values).to.equal(null);
  });

  it('rejects an unknown lead, an unknown field code and a non-integer price, each by its request_id', async () => {
    const r = await h.api('PATCH', '/api/v4/leads', [
      { id: 424242, price: 1, request_id: 'ghost' },
      { id: leadA, custom_fields_values: [{ field_code: 'NO_SUCH', values: [{ value: 'x' }] }] },
      { id: leadB, price: 10.5 },
    ]);
    expect(r.status).to.equal(400);
    const errs = r.json['validation-errors'];
    expect(errs.map((e: { request_id: string }) => e.request_id)).to.deep.equal(['ghost', '1', '2']);
    expect(errs[1].errors[0]).to.include({ code: 'NotSupportedChoice', path: 'custom_fields_values.0.field_code' });
    expect(errs[2].errors[0].path).to.equal('price');
  });

  it('refuses batches over 250 items', async () => {
    const items = Array.from({ length: 251 }, () => ({ id: leadA, price: 1 }));
    expect((await h.api('PATCH', '/api/v4/leads', items)).status).to.equal(400);
  });

  it('moves a lead between stages and to won (142), and rejects a status from nowhere', async () => {
    const pipeline = h.account.pipelines[0];
    const third = pipeline.statuses.filter((s) => s.type === 0)[2].id;
    expect((await h.api('PATCH', '/api/v4/leads', [{ id: leadA, status_id: third }])).status).to.equal(200);
    expect(h.emu.getLead(h.account.id, leadA)!.status_id).to.equal(third);
    await h.api('PATCH', '/api/v4/leads', [{ id: leadA, status_id: 142, pipeline_id: pipeline.id }]);
    expect(h.emu.getLead(h.account.id, leadA)).to.include({ status_id: 142, closed_at: Math.floor(h.clock.ms / 1000) });
    const bad = await h.api('PATCH', '/api/v4/leads', [{ id: leadA, status_id: 5 }]);
    expect(bad.json['validation-errors'][0].errors[0].path).to.equal('status_id');
  });

  it('clears a field with values: null and leaves the other fields alone', async () => {
    await h.api('PATCH', '/api/v4/leads', [
      {
        id: leadA,
        custom_fields_values: [
          { field_code: 'DRAMLINK_STATUS', values: [{ value: 'paid' }] },
          { field_code: 'DRAMLINK_AMOUNT', values: [{ value: '10' }] },
        ],
      },
    ]);
    await h.api('PATCH', `/api/v4/leads/${leadA}`, { custom_fields_values: [{ field_code: 'DRAMLINK_AMOUNT', values: null }] });
    expect(h.emu.leadFieldValue(h.account.id, leadA, 'DRAMLINK_AMOUNT')).to.equal(undefined);
    expect(h.emu.leadFieldValue(h.account.id, leadA, 'DRAMLINK_STATUS')).to.equal('paid');
  });
});
