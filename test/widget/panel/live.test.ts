import { expect } from 'chai';
import type { LeadPaymentsResponse, PaymentView } from '../../../shared/api.ts';
import { POLL_DELAYS_MS } from '../../../widget/src/panel/live.ts';
import { mountPanel, type Mounted } from '../../../widget/src/panel/panel-controller.ts';
import { fakeApi, fakeLiveEnv, FakeRoot, settle } from '../fake-dom.ts';
import { leadResponse, paidPayment, payment, translator } from '../fixtures.ts';

describe('panel live refresh (the card stays open while the customer pays)', () => {
  let mounted: Mounted | undefined;
  afterEach(() => mounted?.destroy());

  /** Mounts the panel; each look answers the next of `answers` (the last one repeats). */
  async function open(answers: LeadPaymentsResponse[], lang = 'en') {
    const root = new FakeRoot();
    const env = fakeLiveEnv();
    const announced: string[][] = [];
    let n = 0;
    const { api, calls } = fakeApi({ leadPayments: async () => answers[Math.min(n++, answers.length - 1)] });
    mounted = mountPanel({
      api,
      t: translator(lang),
      leadId: 42,
      locale: lang,
      serverUrl: 'http://srv',
      root: root.asElement(),
      copy: async () => true,
      env,
      announce: (h, t) => (announced.push([h, t]), true),
    });
    await settle();
    const looks = () => calls.filter((c) => c.method === 'leadPayments').length;
    const tick = async (ms: number) => {
      env.advance(ms);
      await settle();
    };
    return { root, env, looks, tick, announced, calls };
  }

  const awaiting = leadResponse([payment()]);
  const paid = (over: Partial<PaymentView> = {}) => leadResponse([paidPayment({ attempts: [], ...over })]);

  it('opens with one request, then looks again after 5, 10, 20, 40 s and every minute while the link can be paid', async () => {
    const { env, looks, tick, calls } = await open([awaiting]);
    expect(looks(), 'the card opens with one request').to.equal(1);
    expect(calls[0].args).to.deep.equal([42, 'en']);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(env.nextDelay()!);
      await tick(env.nextDelay()!);
    }
    expect(seen).to.deep.equal([...POLL_DELAYS_MS, 60_000]);
    expect(looks()).to.equal(7);
  });

  it('does not poll a lead whose payments can no longer change', async () => {
    const { env, looks } = await open([paid()]);
    expect(env.nextDelay()).to.equal(undefined);
    expect(looks()).to.equal(1);
  });

  it('stops while the page is hidden, and looks at once (starting the back-off again) when the manager comes back', async () => {
    const { env, looks, tick } = await open([awaiting]);
    await tick(5_000);
    env.hiddenNow = true;
    env.wake();
    expect(env.nextDelay(), 'no timer while hidden').to.equal(undefined);
    await tick(600_000);
    expect(looks()).to.equal(2);
    env.hiddenNow = false;
    env.wake();
    await settle();
    expect(looks(), 'one look on coming back').to.equal(3);
    expect(env.nextDelay()).to.equal(5_000);
  });

  it('does not look twice when the manager comes back right after a look', async () => {
    const { env, looks } = await open([awaiting]);
    env.wake();
    await settle();
    expect(looks()).to.equal(1);
  });

  it("turns Paid without reopening, tells the manager once with amoCRM's popup, and stops polling", async () => {
    const { root, env, tick, announced } = await open([awaiting, paid()], 'ru');
    await tick(5_000);
    expect(root.innerHTML).to.include('drl-b-paid');
    expect(announced).to.deep.equal([['Оплата получена', 'Клиент оплатил 1\u00a0900\u00a0AMD. Статус сделки — «Оплачено».']]);
    expect(root.slot.innerHTML).to.include('Оплачено 1\u00a0900\u00a0AMD');
    expect(env.nextDelay(), 'nothing left to change').to.equal(undefined);
  });

  it('keeps the form under a manager who is typing, and shows the change at the next look', async () => {
    const { root, env, tick, announced } = await open([awaiting, paid(), paid()]);
    const before = root.renders;
    env.typingNow = true;
    await tick(5_000);
    expect(root.renders, 'no repaint while typing').to.equal(before);
    expect(announced, 'the popup does not wait').to.have.length(1);
    env.typingNow = false;
    await tick(env.nextDelay()!);
    expect(root.innerHTML).to.include('drl-b-paid');
    expect(announced, 'announced once').to.have.length(1);
  });

  it('leaves nothing running once the card closes', async () => {
    const { env, tick, looks } = await open([awaiting]);
    mounted!.destroy();
    mounted = undefined;
    expect(env.subscribed()).to.equal(false);
    await tick(600_000);
    expect(looks()).to.equal(1);
  });
});
