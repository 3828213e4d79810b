import { expect } from 'chai';
import { DramlinkWidget } from '../../widget/src/widget.ts';

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
      ['advancedSettings', 'bind_actions', 'destroy', 'init', 'onSave', 'render', 'settings'].sort(),
    );
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
});
