import { expect } from 'chai';
import { mountSettings, type MountedSettings } from '../../../widget/src/settings/settings-controller.ts';
import type { SettingsApi } from '../../../widget/src/settings/settings-api.ts';
import type { SettingsView } from '../../../widget/src/settings/settings-types.ts';
import { fakeApi, FakeRoot, settle } from '../fake-dom.ts';
import { translator } from '../fixtures.ts';

const stored: SettingsView = { providers: {}, defaultCurrency: 'AMD', linkTtlHours: 72, isAdmin: true };

describe('settings form controller', () => {
  let mounted: MountedSettings | undefined;
  afterEach(() => mounted?.destroy());

  async function open(opts: { installed?: boolean; isAdmin?: boolean; loaded?: SettingsView } = {}) {
    const root = new FakeRoot();
    root.inputs.push({ name: 'defaultCurrency', value: 'AMD' }, { name: 'linkTtlHours', value: '72' });
    const { api, calls } = fakeApi<SettingsApi>({ getSettings: async () => opts.loaded ?? stored, putSettings: async () => stored });
    mounted = mountSettings({
      api,
      t: translator(),
      root: root.asElement(),
      serverUrl: 'http://srv',
      installed: opts.installed ?? true,
      isAdmin: opts.isAdmin,
    });
    await settle();
    const puts = () => calls.filter((c) => c.method === 'putSettings');
    return { root, calls, puts };
  }

  it('asks to install first and calls nothing while amoCRM has not installed the widget', async () => {
    const { root, calls } = await open({ installed: false });
    expect(calls).to.deep.equal([]);
    expect(root.innerHTML).to.contain(translator()('setup.install_first'));
  });

  it("saves with amoCRM's Save button only when the admin changed something, and only once", async () => {
    const { root, puts } = await open();
    mounted!.saveIfDirty();
    await settle();
    expect(puts()).to.have.length(0);
    root.fire('input', { getAttribute: () => 'linkTtlHours' });
    mounted!.saveIfDirty();
    await settle();
    expect(puts().map((c) => c.args)).to.deep.equal([[{ providers: {}, defaultCurrency: 'AMD', linkTtlHours: 72 }]]);
    mounted!.saveIfDirty();
    await settle();
    expect(puts()).to.have.length(1);
  });

  it('sends nothing while the form has a mistake, and says to fix it', async () => {
    const { root, puts } = await open();
    root.inputs[1].value = '0';
    root.click('save');
    await settle();
    expect(puts()).to.have.length(0);
    expect(root.slot.innerHTML).to.contain('drl-warn');
    expect(root.innerHTML).to.contain('aria-invalid="true"');
  });

  it('never saves for a user amoCRM says is not an admin', async () => {
    const { root, puts } = await open({ isAdmin: false });
    root.click('save');
    await settle();
    expect(puts()).to.have.length(0);
    expect(root.innerHTML).to.not.contain('data-action="save"');
  });

  it('repaints the stages when another pipeline is picked, keeping what was typed', async () => {
    const pipelines = [{ id: 10, name: 'Sales', statuses: [{ id: 142, name: 'Won' }] }];
    const { root } = await open({ loaded: { ...stored, pipelines } });
    expect(root.innerHTML).to.not.contain('>Won<');
    root.inputs.push({ name: 'map.paid.pipelineId', value: '10' });
    root.fire('change', { getAttribute: () => 'map.paid.pipelineId' });
    expect(root.innerHTML).to.contain('>Won<');
  });
});
