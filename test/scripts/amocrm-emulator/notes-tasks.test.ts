import { expect } from 'chai';
import { harness, type Harness } from './helpers.ts';

describe('amocrm-emulator: notes and tasks', () => {
  let h: Harness;
  let lead: number;
  beforeEach(async () => {
    h = await harness();
    lead = h.emu.addLead(h.account.id, { price: 100 }).id;
  });
  afterEach(() => h.emu.stop());

  const note = (text: string, extra: Record<string, unknown> = {}) => ({
    entity_id: lead,
    note_type: 'service_message',
    params: { service: 'dramlink', text },
    ...extra,
  });

  it('creates service notes and lists them newest first with a limit (the retry-after-timeout check)', async () => {
    const r = await h.api('POST', '/api/v4/leads/notes', [note('one', { request_id: 'n1' }), note('two')]);
    expect(r.status).to.equal(200);
    expect(r.json._embedded.notes.map((n: { request_id: string }) => n.request_id)).to.deep.equal(['n1', '1']);
    await h.api('POST', `/api/v4/leads/${lead}/notes`, [{ note_type: 'common', params: { text: 'three' } }]);

    const list = await h.api('GET', `/api/v4/leads/notes?filter[entity_id][]=${lead}&order[id]=desc&limit=2`);
    expect(list.json._embedded.notes.map((n: { params: { text: string } }) => n.params.text)).to.deep.equal(['three', 'two']);
    expect(list.json._links.next.href).to.match(/page=2/);
    const byLead = await h.api('GET', `/api/v4/leads/${lead}/notes`);
    expect(byLead.json._embedded.notes).to.have.length(3);
    expect(h.emu.notes(h.account.id, lead)[0]).to.include({ note_type: 'service_message', entity_id: lead });
  });

  it('rejects a notes batch that names an unknown lead, creating none of it', async () => {
    const r = await h.api('POST', '/api/v4/leads/notes', [note('ok'), note('ghost', { entity_id: 777 })]);
    expect(r.status).to.equal(400);
    expect(r.json['validation-errors'][0]).to.deep.include({ request_id: '1' });
    expect(r.json['validation-errors'][0].errors[0].path).to.equal('entity_id');
    expect(h.emu.notes(h.account.id)).to.have.length(0);
  });

  it('rejects a service_message without its service param', async () => {
    const r = await h.api('POST', '/api/v4/leads/notes', [{ entity_id: lead, note_type: 'service_message', params: { text: 'x' } }]);
    expect(r.json['validation-errors'][0].errors[0].path).to.equal('params.service');
  });

  it('answers 204 for a lead with no notes', async () => {
    expect((await h.api('GET', `/api/v4/leads/${lead}/notes`)).status).to.equal(204);
  });

  it('creates tasks on a lead, defaulting the responsible user to the token owner', async () => {
    const r = await h.api('POST', '/api/v4/tasks', [
      { text: 'Check payment', complete_till: 1_800_000_000, entity_type: 'leads', entity_id: lead, task_type_id: 1, request_id: 't' },
    ]);
    expect(r.status).to.equal(200);
    expect(r.json._embedded.tasks[0].request_id).to.equal('t');
    const [task] = h.emu.tasks(h.account.id);
    expect(task).to.include({ text: 'Check payment', entity_id: lead, entity_type: 'leads', responsible_user_id: h.account.users[0].id });
    expect(h.emu.getLead(h.account.id, lead)!.closest_task_at).to.equal(1_800_000_000);
  });

  it('rejects a task with an unknown task type or lead', async () => {
    const r = await h.api('POST', '/api/v4/tasks', [{ text: 'x', complete_till: 1, entity_type: 'leads', entity_id: 5, task_type_id: 99 }]);
    expect(r.status).to.equal(400);
    expect(r.json['validation-errors'][0].errors.map((e: { path: string }) => e.path)).to.deep.equal(['entity_id', 'task_type_id']);
    expect(h.emu.tasks(h.account.id)).to.have.length(0);
  });
});
