import { expect } from 'chai';
import { renderSettings, type SettingsState } from '../../../widget/src/settings/render-settings.ts';
import type { SettingsApi } from '../../../widget/src/settings/settings-api.ts';
import { mountSettings, type MountedSettings } from '../../../widget/src/settings/settings-controller.ts';
import { readSettingsForm } from '../../../widget/src/settings/settings-form.ts';
import type { SettingsView } from '../../../widget/src/settings/settings-types.ts';
import { fakeApi, FakeRoot, settle } from '../fake-dom.ts';
import { translator } from '../fixtures.ts';

const t = translator('en');
const loaded: SettingsView = {
  providers: { idram: { enabled: true, mode: 'test', recAccount: '110000601', secretKey: '••••wxyz' } },
  defaultCurrency: 'AMD',
  linkTtlHours: 72,
  isAdmin: true,
  providerUrls: {
    idram: { notifyUrl: 'https://pay.shop.am/webhooks/idram/31000001' },
    ameriabank: { returnUrl: 'https://pay.shop.am/pay/return' },
  },
};
const ready = (over: Partial<SettingsState> = {}): SettingsState => ({
  phase: 'ready',
  serverUrl: 'http://srv',
  loaded,
  busy: false,
  readOnly: false,
  ...over,
});

describe('settings that guide (issue 13, item 4)', () => {
  it('marks required fields and explains each provider in one line with a link to its merchant docs', () => {
    const html = renderSettings(ready(), t);
    expect(html).to.match(/Merchant account \(EDP_REC_ACCOUNT\)<span class="drl-req" aria-hidden="true"> \*<\/span>/);
    expect(html).to.match(
      /data-name="p\.idram\.recAccount"[^>]*aria-required="true"|aria-required="true"[^>]*data-name="p\.idram\.recAccount"/,
    );
    expect(html).to.include('Idram wallet. Idram issues the merchant account');
    expect(html).to.include('<a href="https://www.idram.am/" target="_blank" rel="noopener noreferrer">Merchant documentation</a>');
  });

  it('shows the addresses to give each provider, read-only, with a Copy button', () => {
    const html = renderSettings(ready(), t);
    expect(html).to.include('Give the provider these addresses:');
    expect(html).to.match(/aria-labelledby="drl-u-idram-notifyUrl" value="https:\/\/pay\.shop\.am\/webhooks\/idram\/31000001"/);
    expect(html).to.include('data-action="copy-url" data-id="idram.notifyUrl"');
    expect(html).to.include('Notification (callback) URL');
  });

  it('offers Test connection for real providers (not the sandbox), and an editable merchant name and language', () => {
    const html = renderSettings(ready(), t);
    expect(html).to.include('data-action="test-provider" data-id="idram"').and.not.include('data-id="sandbox">Test');
    expect(html).to.include('data-name="merchantName"').and.include('Merchant name on the pay page');
    expect(html).to.include('<option value="" selected>As in amoCRM (automatic)</option>');
  });

  it('shows the answer of a connection test in words, and the server checks with names it knows', () => {
    const html = renderSettings(
      ready({
        tests: {
          idram: { result: { ok: false, code: 'credentials_rejected', message: 'x' } },
          arca: { result: { ok: false, code: 'arca_unreachable', message: '' } },
        },
        diagnostics: [
          { name: 'tokens', ok: true, detail: '' },
          { name: 'provider:telcell', ok: false, detail: 'shopKey missing', fix: 'Enter the shop key' },
        ],
      }),
      t,
    );
    expect(html).to.include('The provider refused these credentials.');
    expect(html).to.include('The provider cannot be reached from the server.');
    expect(html).to.include('<strong>amoCRM access</strong>: OK');
    expect(html).to.include('<strong>Provider Telcell</strong>: needs attention').and.include('What to do: Enter the shop key');
  });

  it('tells a manager the settings are for administrators, without an error box or Retry', () => {
    const html = renderSettings(ready({ phase: 'error', loaded: undefined, error: { status: 403, code: 'admin_only', message: 'x' } }), t);
    expect(html).to.include('Only account administrators').and.not.include('data-action="reload"').and.not.include('drl-bad');
  });

  it('refuses http:// where https is required, with the message that says so', () => {
    const r = readSettingsForm(
      {
        'p.arca.enabled': true,
        'p.arca.userName': 'u',
        'p.arca.password': 'p',
        'p.arca.baseUrl': 'http://ipay.arca.am/payment/rest',
        linkTtlHours: '72',
        defaultCurrency: 'AMD',
      },
      { providers: {} },
    );
    expect(!r.ok && r.errors['p.arca.baseUrl']).to.equal('setup.url');
    expect(t('setup.url')).to.equal('Enter an address that starts with https://');
  });

  it('sends the merchant name and the language, and leaves both out when empty', () => {
    const base = { linkTtlHours: '72', defaultCurrency: 'AMD' };
    const set = readSettingsForm({ ...base, merchantName: '  Shop LLC ', language: 'ru' }, { providers: {} });
    expect(set.ok && [set.body.merchantName, set.body.language]).to.deep.equal(['Shop LLC', 'ru']);
    const empty = readSettingsForm({ ...base, merchantName: '', language: '' }, { providers: {} });
    expect(empty.ok && 'merchantName' in empty.body).to.equal(false);
    expect(empty.ok && 'language' in empty.body).to.equal(false);
  });
});

describe('settings controller: test connection, copy, diagnostics, server field errors', () => {
  let mounted: MountedSettings | undefined;
  afterEach(() => mounted?.destroy());

  async function open(answers: Parameters<typeof fakeApi<SettingsApi>>[0]) {
    const root = new FakeRoot();
    root.inputs.push(
      { name: 'defaultCurrency', value: 'AMD' },
      { name: 'linkTtlHours', value: '72' },
      { name: 'p.idram.recAccount', value: '110000601' },
      { name: 'p.idram.secretKey', value: '' },
    );
    const copied: string[] = [];
    const { api, calls } = fakeApi<SettingsApi>({ getSettings: async () => loaded, diagnostics: async () => [], ...answers });
    mounted = mountSettings({
      api,
      t,
      root: root.asElement(),
      serverUrl: 'http://srv',
      installed: true,
      copy: async (x) => (copied.push(x), true),
    });
    await settle();
    return { root, calls, copied };
  }

  it("tests a provider with what is typed, keeping the stored secret (not sent), and shows the provider's answer", async () => {
    const { root, calls } = await open({ testProvider: async () => ({ ok: true, code: 'credentials_accepted', message: 'ok' }) });
    root.click('test-provider', 'idram');
    await settle();
    const call = calls.find((c) => c.method === 'testProvider')!;
    expect(call.args[0]).to.equal('idram');
    expect(call.args[1]).to.deep.include({ enabled: true, mode: 'test', recAccount: '110000601' });
    expect(call.args[1]).to.not.have.property('secretKey');
    expect(root.innerHTML).to.include('Connected: the provider accepted these credentials.');
  });

  it('hides Test connection when the server has no such route (404), instead of showing an error', async () => {
    const { root } = await open({ testProvider: () => Promise.reject({ status: 404, code: 'http_404', message: '' }) });
    root.click('test-provider', 'idram');
    await settle();
    expect(root.innerHTML).to.not.include('data-action="test-provider"');
  });

  it('copies an address to give the provider', async () => {
    const { root, copied } = await open({});
    root.click('copy-url', 'idram.notifyUrl');
    await settle();
    expect(copied).to.deep.equal(['https://pay.shop.am/webhooks/idram/31000001']);
    expect(root.slot.innerHTML).to.include('Address copied');
  });

  it('lists the server checks under the form, and nothing when the server has none', async () => {
    const ok = await open({ diagnostics: async () => [{ name: 'lead_fields', ok: true, detail: '' }] });
    expect(ok.root.innerHTML).to.include('dramlink lead fields');
    mounted?.destroy();
    const none = await open({ diagnostics: () => Promise.reject({ status: 404, code: 'http_404', message: '' }) });
    expect(none.root.innerHTML).to.not.include('Checks</h5>');
  });

  it('puts the errors the server names into their fields (https required for a bank address)', async () => {
    const refused = {
      status: 400,
      code: 'invalid_provider_credentials',
      message: 'x',
      details: { fields: [{ field: 'providers.idram.recAccount', code: 'insecure_base_url', message: 'x' }] },
    };
    const { root } = await open({ putSettings: () => Promise.reject(refused) });
    root.click('save');
    await settle();
    expect(root.innerHTML).to.match(
      /data-name="p\.idram\.recAccount"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*data-name="p\.idram\.recAccount"/,
    );
    expect(root.innerHTML).to.include('>Enter an address that starts with https://</div>');
    expect(root.slot.innerHTML).to.include('Some provider settings are not valid');
  });
});
