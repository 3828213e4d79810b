import { expect } from 'chai';
import type { FormValues } from '../../../widget/src/dom.ts';
import { initialValues, readSettingsForm } from '../../../widget/src/settings/settings-form.ts';
import type { SettingsView } from '../../../widget/src/settings/settings-types.ts';

const loaded: SettingsView = {
  providers: {
    arca: {
      enabled: true,
      mode: 'live',
      userName: 'merchant',
      password: '••••abcd',
      checksumKey: '••••1234',
      baseUrl: 'https://ipay.arca.am',
    },
  },
  defaultCurrency: 'AMD',
  linkTtlHours: 72,
  taskResponsibleUserId: 5,
};

const form = (over: FormValues = {}): FormValues => ({ ...initialValues(loaded), ...over });

describe('readSettingsForm', () => {
  it('never shows a stored secret back: the secret inputs start empty', () => {
    const v = initialValues(loaded);
    expect(v['p.arca.password']).to.equal('');
    expect(v['p.arca.checksumKey']).to.equal('');
    expect(v['p.arca.userName']).to.equal('merchant');
  });

  it('keeps the stored secret when its input is left empty: the field is not sent, the mask is not sent', () => {
    const r = readSettingsForm(form(), loaded);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    const arca = r.body.providers.arca;
    expect(arca).to.not.have.property('password');
    expect(arca).to.not.have.property('checksumKey');
    expect(JSON.stringify(r.body)).to.not.include('••');
    expect(arca).to.include({ enabled: true, mode: 'live', userName: 'merchant', baseUrl: 'https://ipay.arca.am' });
  });

  it('sends a secret only when the admin typed a new one', () => {
    const r = readSettingsForm(form({ 'p.arca.password': 'n3w secret' }), loaded);
    expect(r.ok && r.body.providers.arca.password).to.equal('n3w secret');
  });

  it('leaves out a provider the admin never touched', () => {
    const r = readSettingsForm(form(), loaded);
    expect(r.ok && Object.keys(r.body.providers)).to.deep.equal(['arca']);
  });

  it('refuses to enable a provider without its credentials, naming each missing field', () => {
    const r = readSettingsForm(form({ 'p.idram.enabled': true }), loaded);
    expect(!r.ok && r.errors).to.deep.equal({ 'p.idram.recAccount': 'setup.required', 'p.idram.secretKey': 'setup.required' });
  });

  it('types Ameriabank options: twoStage as a boolean, the test order range as integers', () => {
    const r = readSettingsForm(
      form({
        'p.ameriabank.enabled': true,
        'p.ameriabank.clientId': 'cid',
        'p.ameriabank.username': 'u',
        'p.ameriabank.password': 'p',
        'p.ameriabank.twoStage': true,
        'p.ameriabank.testOrderIdFrom': '2923001',
        'p.ameriabank.testOrderIdTo': '2924000',
      }),
      loaded,
    );
    expect(r.ok && r.body.providers.ameriabank).to.deep.equal({
      enabled: true,
      mode: 'test',
      clientId: 'cid',
      username: 'u',
      password: 'p',
      twoStage: true,
      testOrderIdFrom: 2923001,
      testOrderIdTo: 2924000,
    });
    const bad = readSettingsForm(form({ 'p.ameriabank.testOrderIdFrom': '29a' }), loaded);
    expect(!bad.ok && bad.errors['p.ameriabank.testOrderIdFrom']).to.equal('setup.integer');
  });

  it('maps a CRM status to a stage only with both pipeline and stage', () => {
    const r = readSettingsForm(form({ 'map.paid.pipelineId': '10', 'map.paid.statusId': '142' }), loaded);
    expect(r.ok && r.body.stageMapping).to.deep.equal({ paid: { pipelineId: 10, statusId: 142 } });
    const half = readSettingsForm(form({ 'map.paid.pipelineId': '10' }), loaded);
    expect(!half.ok && half.errors['map.paid.statusId']).to.equal('setup.pair');
  });

  it('sends no stageMapping when nothing is mapped', () => {
    const r = readSettingsForm(form(), loaded);
    expect(r.ok && 'stageMapping' in r.body).to.equal(false);
  });

  it('keeps settings the form does not edit, so a save cannot drop them', () => {
    const r = readSettingsForm(form(), loaded);
    expect(r.ok && r.body.taskResponsibleUserId).to.equal(5);
  });

  it('rejects a link lifetime that is not whole hours within 90 days', () => {
    const r = readSettingsForm(form({ linkTtlHours: '0' }), loaded);
    expect(!r.ok && r.errors.linkTtlHours).to.equal('setup.integer');
  });
});
