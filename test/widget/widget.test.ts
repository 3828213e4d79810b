import { expect } from 'chai';
import { DramlinkWidget } from '../../widget/src/widget.ts';
import settingsModule from '../../widget/src/settings/entry.ts';
import reachModule from '../../widget/src/reach/entry.ts';
import { FakeRoot } from './fake-dom.ts';

type Callbacks = Record<string, (...a: unknown[]) => unknown>;

function instantiate(extra: Record<string, unknown> = {}) {
  const calls: unknown[] = [];
  const self = Object.assign(Object.create(null) as object, {
    $authorizedAjax: (o: unknown) => {
      calls.push(o);
      return { done: () => undefined, fail: () => undefined };
    },
    ...extra,
  });
  // amoCRM calls the constructor with `new`; the callbacks close over `self`.
  const w = new (DramlinkWidget as unknown as new () => { callbacks: Callbacks })();
  Object.assign(w, self);
  return { w, calls };
}

describe('widget constructor', () => {
  afterEach(() => {
    delete (globalThis as { APP?: unknown }).APP;
  });

  it('exposes the callbacks amoCRM calls, and render/init/bind_actions return true', () => {
    (globalThis as { APP?: unknown }).APP = { data: { current_card: false } };
    const { w } = instantiate();
    expect(Object.keys(w.callbacks).sort()).to.deep.equal(
      [
        'advancedSettings',
        'bind_actions',
        'destroy',
        'dpSettings',
        'init',
        'leads',
        'onSalesbotDesignerSave',
        'onSave',
        'render',
        'salesbotDesignerSettings',
        'settings',
      ].sort(),
    );
    // The lead list's mass action (llist): amoCRM calls callbacks.leads.selected.
    expect((w.callbacks.leads as unknown as Callbacks).selected).to.be.a('function');
    expect(w.callbacks.render()).to.equal(true);
    expect(w.callbacks.init()).to.equal(true);
    expect(w.callbacks.bind_actions()).to.equal(true);
    expect(w.callbacks.onSave()).to.equal(true);
  });

  it('renders nothing and calls nothing on a new, unsaved lead (id 0)', () => {
    (globalThis as { APP?: unknown }).APP = { data: { current_card: { id: 0 } } };
    const { w, calls } = instantiate();
    expect(w.callbacks.render()).to.equal(true);
    expect(calls).to.deep.equal([]);
  });

  it('renders no panel outside the lead card area', () => {
    (globalThis as { APP?: unknown }).APP = { data: { current_card: { id: 5 } } };
    const { w, calls } = instantiate({ system: () => ({ area: 'ccard' }) });
    expect(w.callbacks.render()).to.equal(true);
    expect(calls).to.deep.equal([]);
  });

  it("loads settings.js from the widget's folder, mounts it in the modal's settings block, asks nothing before install, and destroy removes it", async () => {
    const created: FakeRoot[] = [];
    const appended: unknown[] = [];
    const requested: string[] = [];
    const g = globalThis as { document?: unknown; requirejs?: unknown };
    const head: unknown[] = [];
    g.document = {
      createElement: () => (created.push(new FakeRoot()), created[created.length - 1]),
      getElementById: () => null,
      head: { appendChild: (x: unknown) => head.push(x) },
    };
    // The page's RequireJS, loading the settings view the way amoCRM loads widget files.
    g.requirejs = (deps: string[], ok: (m: unknown) => void) => {
      requested.push(...deps);
      ok(settingsModule);
    };
    try {
      (globalThis as { APP?: unknown }).APP = { data: { current_card: false } };
      const { w, calls } = instantiate({
        get_install_status: () => 'install',
        get_settings: () => ({ path: '/upl/dramlink/widget', version: '1.2.0' }),
      });
      const block = { appendChild: (x: unknown) => appended.push(x) };
      const modalBody = { nodeType: 1, querySelector: (sel: string) => (sel === '.widget_settings_block' ? block : null) };
      expect(w.callbacks.settings([modalBody])).to.equal(true);
      await new Promise((r) => setTimeout(r, 0));
      expect(requested).to.deep.equal(['/upl/dramlink/widget/settings.js?v=1.2.0']);
      expect((head[0] as { href?: string }).href, 'its stylesheet from the same folder').to.equal('/upl/dramlink/widget/style.css?v=1.2.0');
      const root = created[created.length - 1];
      expect(appended).to.deep.equal([root]);
      expect(root.innerHTML).to.contain('setup.install_first');
      expect(calls).to.deep.equal([]);
      w.callbacks.destroy();
      expect(root.removed).to.equal(true);
    } finally {
      delete g.document;
      delete g.requirejs;
    }
  });

  it("answers the Salesbot designer its exits at once, loads reach.js for the step's settings, and saves the step's bot code once it is there", async () => {
    const g = globalThis as { requirejs?: unknown };
    const requested: string[] = [];
    let answer: ((m: unknown) => void) | undefined;
    g.requirejs = (deps: string[], ok: (m: unknown) => void) => {
      requested.push(...deps);
      answer = ok;
    };
    try {
      const langs = { sb: { exit_success: 'Link ready', exit_paid: 'Already paid', exit_error: 'No link' } };
      const { w } = instantiate({
        langs,
        get_settings: () => ({ path: '/upl/dramlink/widget', version: '2', server_url: 'https://pay.shop.am' }),
      });
      const settings = w.callbacks.salesbotDesignerSettings(null, () => '<div></div>', {}) as { exits: unknown };
      expect(settings.exits).to.deep.equal([
        { code: 'success', title: 'Link ready' },
        { code: 'paid', title: 'Already paid' },
        { code: 'error', title: 'No link' },
      ]);
      expect(requested).to.deep.equal(['/upl/dramlink/widget/reach.js?v=2']);
      expect(() => w.callbacks.onSalesbotDesignerSave('payment_link', {}), 'no half-made step while reach.js loads').to.throw(
        /save the step again/,
      );
      answer!(reachModule);
      await new Promise((r) => setTimeout(r, 0));
      const steps = JSON.parse(
        w.callbacks.onSalesbotDesignerSave('payment_link', { amount_source: 'fixed', fixed_amount: '5000' }) as string,
      );
      expect(steps[0].question[0]).to.deep.include({ handler: 'widget_request' });
      expect(steps[0].question[0].params.url).to.equal('https://pay.shop.am/amocrm/salesbot');
      expect(steps[0].question[0].params.data).to.include({ amount_source: 'fixed', fixed_amount: '5000', lead_id: '{{lead.id}}' });
    } finally {
      delete g.requirejs;
    }
  });
});
