import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { FIELD_LABELS } from '../../../server/sync/render/field-labels.ts';
import {
  accountRow,
  installWithSandbox,
  newLeadPayment,
  payPayment,
  startEmulatedApp,
  storedTokens,
  syncUntilIdle,
  type EmulatedApp,
} from './support/emulated-app.ts';

const statusField = (e: EmulatedApp) => e.emu.customFields(e.account.id).find((f) => f.code === 'DRAMLINK_STATUS')!;
const dramlinkFields = (e: EmulatedApp) => e.emu.customFields(e.account.id).filter((f) => f.code?.startsWith('DRAMLINK_'));

describe('server/amocrm lead fields in the account language', () => {
  let e: EmulatedApp;
  afterEach(() => e.close());

  it("names the fields and the status options in the installing admin's language, and writes Russian notes", async () => {
    e = await startEmulatedApp({ account: { language: 'ru' } });
    await installWithSandbox(e);
    expect(JSON.parse((await accountRow(e))!.settings).language, 'detected and stored').to.equal('ru');
    expect(
      dramlinkFields(e)
        .map((f) => f.name)
        .sort(),
    ).to.deep.equal(Object.values(FIELD_LABELS.ru.names).sort());
    expect(statusField(e).enums!.map((x) => [x.code, x.value])).to.deep.equal(Object.entries(FIELD_LABELS.ru.statuses));

    const payment = await newLeadPayment(e);
    await payPayment(e, payment);
    await syncUntilIdle(e);
    expect(e.emu.leadFieldValue(e.account.id, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Оплачено');
    const notes = e.emu.notes(e.account.id, payment.leadId).map((n) => String(n.params.text));
    expect(notes).to.have.length(2);
    expect(notes[0]).to.match(/^Создана ссылка на оплату 1\u00a0500\u00a0AMD \(пользователь 7\): http/);
    expect(notes[1]).to.match(/^Клиент оплатил 1\u00a0500\u00a0AMD через тестовую песочницу\. .* #dl[0-9a-z]{10}$/);
  });

  it('relabels an account set up before labels were translated, keeping codes, option ids and lead values', async () => {
    e = await startEmulatedApp({ account: { language: 'ru' } });
    await installWithSandbox(e);
    const before = statusField(e);
    // What an older version left: English labels (expired was "Expired"), no language, no labels marker.
    const token = (await storedTokens(e, e.account.id))!.accessToken;
    const english = FIELD_LABELS.en;
    const patch = await fetch(`${e.emu.url}/api/v4/leads/custom_fields`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        dramlinkFields(e).map((f) => ({
          id: f.id,
          name: english.names[f.code as keyof typeof english.names],
          ...(f.enums
            ? {
                enums: f.enums.map((x) => ({
                  id: x.id,
                  value: x.code === 'expired' ? 'Expired' : english.statuses[x.code as 'paid'],
                  sort: x.sort,
                })),
              }
            : {}),
        })),
      ),
    });
    expect(patch.status).to.equal(200);
    const ids = JSON.parse((await accountRow(e))!.fieldIds);
    delete ids.labels;
    const { accounts } = e.t.db.t;
    await e.t.db
      .update(accounts)
      .set({ settings: '{}', fieldIds: JSON.stringify(ids) })
      .where(eq(accounts.id, e.account.id));
    const payment = await newLeadPayment(e);
    await syncUntilIdle(e);
    expect(e.emu.leadFieldValue(e.account.id, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Ожидает оплаты');

    const after = statusField(e);
    expect(after.id).to.equal(before.id);
    expect(after.enums!.map((x) => [x.id, x.code, x.value])).to.deep.equal(
      before.enums!.map((x) => [x.id, x.code, FIELD_LABELS.ru.statuses[x.code as 'paid']]),
    );
    expect(dramlinkFields(e).map((f) => f.name)).to.include('dramlink: статус оплаты');
    expect(JSON.parse((await accountRow(e))!.fieldIds).labels).to.equal('ru');
    const relabels = () => e.emu.requests.filter((r) => r.method === 'PATCH' && r.path === '/api/v4/leads/custom_fields').length - 1;
    const afterFirst = relabels();
    expect(afterFirst, 'relabeled by a PATCH (two drains racing may both send the same one)').to.be.within(1, 2);

    // Relabeled once: later drains do not touch the fields again.
    await payPayment(e, payment);
    await syncUntilIdle(e);
    expect(relabels()).to.equal(afterFirst);
    expect(e.emu.leadFieldValue(e.account.id, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Оплачено');
  });

  it("relabels when an admin picks another language, and a lead's status follows its option", async () => {
    e = await startEmulatedApp();
    await installWithSandbox(e);
    const payment = await newLeadPayment(e);
    await payPayment(e, payment);
    await syncUntilIdle(e);
    expect(e.emu.leadFieldValue(e.account.id, payment.leadId, 'DRAMLINK_STATUS')).to.equal('Paid');
    const { accounts } = e.t.db.t;
    await e.t.db
      .update(accounts)
      .set({ settings: JSON.stringify({ language: 'es' }) })
      .where(eq(accounts.id, e.account.id));
    await newLeadPayment(e, { leadId: payment.leadId, amountMinor: 500 });
    await syncUntilIdle(e);
    expect(statusField(e).name).to.equal('dramlink: estado del pago');
    expect(statusField(e).enums!.find((x) => x.code === 'expired')!.value).to.equal('Vencido o cancelado');
    const notes = e.emu.notes(e.account.id, payment.leadId).map((n) => String(n.params.text));
    expect(notes.at(-1)).to.match(/^Usuario 7 creó un enlace de pago por 5\u00a0AMD/);
  });

  it("falls back to the domain's language without storing it when amoCRM does not tell the user's", async () => {
    e = await startEmulatedApp();
    e.emu.faults.add({ method: 'GET', path: '/api/v4/users', status: 404, times: Infinity });
    await installWithSandbox(e);
    expect(JSON.parse((await accountRow(e))!.settings).language).to.equal(undefined);
    expect(statusField(e).enums!.find((x) => x.code === 'paid')!.value, 'amocrm.ru → Russian').to.equal('Оплачено');
    expect(JSON.parse((await accountRow(e))!.fieldIds).labels).to.equal('ru');
  });
});
