import { expect } from 'chai';
import { mountView } from '../../widget/src/mount-view.ts';
import type { Notice } from '../../widget/src/notice.ts';
import { FakeRoot } from './fake-dom.ts';
import { translator } from './fixtures.ts';

interface S {
  n: number;
  draft?: string;
  notice?: Notice;
}

const render = (s: S) => `<p>${s.n}${s.draft ?? ''}</p><div class="drl-notice-slot"></div>`;

describe('mountView', () => {
  it('repaints the whole root from the merged state on every set', () => {
    const root = new FakeRoot();
    const view = mountView<S>(root.asElement(), translator(), 'http://srv', { n: 0 }, render);
    view.set({ n: 2 });
    expect(root.innerHTML).to.contain('<p>2</p>');
    expect(view.state).to.deep.equal({ n: 2 });
  });

  it('keeps what `keep` reads before each patch, and lets the patch override it (a create clears the draft)', () => {
    const root = new FakeRoot();
    const view = mountView<S>(root.asElement(), translator(), 'http://srv', { n: 0 }, render, () => ({ draft: 'typed' }));
    view.set({ n: 1 });
    expect(view.state.draft).to.equal('typed');
    view.set({ draft: undefined });
    expect(view.state.draft).to.equal(undefined);
  });

  it('paints a notice into its slot only, so the form the user is typing in is not repainted', () => {
    const root = new FakeRoot();
    const view = mountView<S>(root.asElement(), translator(), 'http://srv', { n: 0 }, render);
    view.set({ n: 1 });
    const renders = root.renders;
    view.notify({ kind: 'error', error: { status: 0, code: 'network', message: '' } });
    expect(root.renders).to.equal(renders);
    expect(root.slot.innerHTML).to.contain('http://srv');
    expect(view.state.notice?.kind).to.equal('error');
  });

  it('after destroy: removes its listeners and root, and a late answer repaints nothing', () => {
    const root = new FakeRoot();
    const view = mountView<S>(root.asElement(), translator(), 'http://srv', { n: 0 }, render);
    view.on('click', () => undefined);
    view.on('input', () => undefined);
    view.notify({ kind: 'ok', msg: { key: 'panel.copied' } });
    view.destroy();
    const renders = root.renders;
    view.set({ n: 9 });
    view.notify({ kind: 'ok', msg: { key: 'panel.copied' } });
    expect(root.listenerCount()).to.equal(0);
    expect(root.removed).to.equal(true);
    expect(root.renders).to.equal(renders);
    expect(view.state.n).to.equal(0);
  });
});
