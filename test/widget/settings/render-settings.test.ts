import { expect } from 'chai';
import { renderSettings, type SettingsState } from '../../../widget/src/settings/render-settings.ts';
import type { SettingsView } from '../../../widget/src/settings/settings-types.ts';
import { translator } from '../fixtures.ts';

const t = translator('en');
const loaded: SettingsView = {
  providers: { idram: { enabled: true, mode: 'test', recAccount: '110000601', secretKey: '••••wxyz' } },
  defaultCurrency: 'USD',
  linkTtlHours: 48,
};
const ready = (over: Partial<SettingsState> = {}): SettingsState => ({
  phase: 'ready',
  serverUrl: 'http://localhost:3000',
  loaded,
  busy: false,
  readOnly: false,
  ...over,
});

describe('renderSettings', () => {
  it('offers the two Telcell callback formulas as a choice instead of free text', () => {
    const html = renderSettings(
      ready({
        loaded: {
          ...loaded,
          providers: { telcell: { enabled: true, mode: 'test', shopId: 's', shopKey: '••••', callbackChecksum: 'invoice_buyer' } },
        },
      }),
      t,
    );
    expect(html).to.match(/<select data-name="p\.telcell\.callbackChecksum"[^>]*>.*<option value="invoice_buyer" selected>/s);
    expect(html).to.include('<option value="">Default (invoice)</option>');
  });

  it('shows only the mask of a stored secret, as a hint, never as the input value', () => {
    const html = renderSettings(ready(), t);
    expect(html).to.match(/data-name="p\.idram\.secretKey" value="" placeholder="Stored \(••••wxyz\)/);
    expect(html).to.include('type="password" autocomplete="new-password"');
  });

  it('renders a read-only form without a Save button for non-admins', () => {
    const html = renderSettings(ready({ readOnly: true }), t);
    expect(html).to.include('Read only');
    expect(html).to.not.include('data-action="save"');
    expect(html).to.match(/data-name="p\.idram\.recAccount"[^>]* disabled/);
  });

  it('says only admins may see the settings when the server answers 403', () => {
    const html = renderSettings(ready({ phase: 'error', loaded: undefined, error: { status: 403, code: 'forbidden', message: 'x' } }), t);
    expect(html).to.include('Only account administrators');
  });

  it('asks to install first instead of calling a server that has no account yet', () => {
    expect(renderSettings(ready({ phase: 'install_first' }), t)).to.include('Install the widget first');
  });

  it('picks stages by name when the server lists pipelines, and by id otherwise', () => {
    const pipelines = [{ id: 10, name: 'Sales <main>', statuses: [{ id: 142, name: 'Won' }] }];
    const named = renderSettings(ready({ loaded: { ...loaded, pipelines, stageMapping: { paid: { pipelineId: 10, statusId: 142 } } } }), t);
    expect(named).to.include('<option value="10" selected>Sales &lt;main&gt;</option>');
    expect(named).to.include('<option value="142" selected>Won</option>');
    const typed = renderSettings(ready(), t);
    expect(typed).to.include('data-name="map.paid.pipelineId" inputmode="numeric"');
  });

  it('shows a field error inside its field, tied to the input by aria-describedby', () => {
    const html = renderSettings(ready({ errors: { 'p.idram.recAccount': 'setup.required' } }), t);
    const block =
      /<div class="drl-field"><label>(?:(?!<div class="drl-field">).)*?data-name="p\.idram\.recAccount"(?:(?!<div class="drl-field">).)*?<\/div><\/div>/.exec(
        html,
      )?.[0] ?? '';
    const described = /aria-describedby="([^"]+)"/.exec(block)?.[1];
    expect(block, 'input, label and error in one block').to.include('aria-invalid="true"').and.include('>Required</div>');
    expect(block).to.include(`<div class="drl-error" id="${described}">Required</div>`);
  });

  it('uses no named inputs and no <form>, which the settings modal would serialize into widget settings', () => {
    expect(renderSettings(ready(), t)).to.not.match(/<form|\sname="/);
  });
});
