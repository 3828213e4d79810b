import { expect } from 'chai';
import type { Call } from '../../../widget/src/api-client.ts';
import { openBulk } from '../../../widget/src/reach/bulk-view.ts';
import { openSendBox } from '../../../widget/src/reach/send-box.ts';
import { payment, translator } from '../fixtures.ts';

const t = translator('en');

/** A container as the reach views use it: innerHTML and one click listener. */
class Box {
  innerHTML = '';
  private handler?: (ev: unknown) => void;
  addEventListener(_type: string, h: (ev: unknown) => void) {
    this.handler = h;
  }
  removeEventListener() {
    this.handler = undefined;
  }
  click(action: string) {
    this.handler?.({ target: { closest: () => ({ getAttribute: () => action }) } });
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('reach.js: the send box and the bulk view', () => {
  it('send box: shows the ready message, offers the Salesbot only when one is chosen, and draws the QR only when asked', async () => {
    const calls: string[] = [];
    const call: Call = async (method, path) => {
      calls.push(`${method} ${path}`);
      return { text: 'Pay here: https://pay.example/pay/tok', language: 'en', templateMarker: '{{lead.cf.77}}', salesbotConfigured: false };
    };
    const box = new Box();
    const p = payment({ id: 'pay_1', link: 'https://pay.example/pay/tok' });
    const copied: string[] = [];
    const sent: string[] = [];
    openSendBox(box as unknown as HTMLElement, p, {
      call,
      serverUrl: 'https://pay.example',
      t,
      copy: async (x) => (copied.push(x), true),
      sendViaBot: (x) => sent.push(x.id),
    });
    await flush();
    expect(calls).to.deep.equal(['GET /api/v1/payments/pay_1/message']);
    expect(box.innerHTML).to.contain('Pay here: https://pay.example/pay/tok').and.contain('{{lead.cf.77}}');
    expect(box.innerHTML).to.not.contain('data-action="reach-bot"');
    expect(box.innerHTML).to.not.contain('qr.svg');
    box.click('reach-qr');
    expect(box.innerHTML).to.contain('src="https://pay.example/pay/tok/qr.svg"');
    box.click('reach-copy');
    await flush();
    expect(copied).to.deep.equal(['Pay here: https://pay.example/pay/tok']);
    expect(sent).to.deep.equal([]);
  });

  it('send box: the Salesbot button hands the payment to the panel, which records the send only from the server', async () => {
    const call: Call = async () => ({ text: 'x', language: 'en', templateMarker: null, salesbotConfigured: true });
    const box = new Box();
    const sent: string[] = [];
    openSendBox(box as unknown as HTMLElement, payment({ id: 'pay_2' }), {
      call,
      serverUrl: 'https://pay.example',
      t,
      copy: async () => true,
      sendViaBot: (x) => sent.push(x.id),
    });
    await flush();
    box.click('reach-bot');
    expect(sent).to.deep.equal(['pay_2']);
  });

  it('bulk: starts one run for the ticked leads, shows progress until finished, then the summary with reasons', async () => {
    const posts: unknown[] = [];
    let polls = 0;
    const call: Call = async (method, _path, body) => {
      if (method === 'POST') {
        posts.push(body);
        return { batch: { id: 'b', total: 3, done: 1, finished: false, created: 1, skipped: [], failed: [] } };
      }
      polls++;
      return {
        batch: {
          id: 'b',
          total: 3,
          done: 3,
          finished: true,
          created: 1,
          skipped: [{ leadId: 7, reason: 'no_price' }],
          failed: [{ leadId: 8, reason: 'lead_not_found' }],
        },
      };
    };
    const box = new Box();
    openBulk(box as unknown as HTMLElement, { call, serverUrl: 'https://pay.example', t, leadIds: [6, 7, 8], wait: async () => undefined });
    expect(box.innerHTML).to.contain('3 selected leads').and.contain('data-action="bulk-start"');
    box.click('bulk-start');
    box.click('bulk-start');
    await flush();
    await flush();
    expect(posts).to.have.length(1);
    expect((posts[0] as { leadIds: number[] }).leadIds).to.deep.equal([6, 7, 8]);
    expect(polls).to.equal(1);
    expect(box.innerHTML).to.contain('Done: 3 of 3').and.contain('Links created: 1');
    expect(box.innerHTML).to.contain('#7: no price').and.contain('#8: the lead no longer exists');
    expect(box.innerHTML).to.not.contain('data-action="bulk-start"');
  });

  it('bulk: a refused start shows the reason in words, not the server’s English', async () => {
    const call: Call = async () => Promise.reject({ status: 400, code: 'invalid_body', message: 'Bad' });
    const box = new Box();
    openBulk(box as unknown as HTMLElement, { call, serverUrl: 'https://pay.example', t, leadIds: [1], wait: async () => undefined });
    box.click('bulk-start');
    await flush();
    expect(box.innerHTML).to.contain('role="alert"');
    expect(box.innerHTML).to.not.contain('>Bad<');
  });
});
