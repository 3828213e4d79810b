import { expect } from 'chai';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { salesbotSteps } from '../../../widget/src/reach/salesbot-steps.ts';
import { SALESBOT_EXITS } from '../../../widget/src/salesbot-exits.ts';
import type { EmuBotExecution } from '../../../scripts/amocrm-emulator/index.ts';
import { harness, type Harness } from './helpers.ts';

/** A widget server that records each widget_request and answers `status`. */
async function widgetServer(status = 200) {
  const got: Array<{ data: Record<string, unknown>; return_url: string }> = [];
  const app = express();
  app.use(express.json());
  app.post('/amocrm/salesbot', (req, res) => {
    got.push(req.body);
    res.status(status).json({ ok: status === 200 });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, base, close: () => server.close() };
}

/**
 * The emulator runs a bot built in the Salesbot designer from its code (what a widget's
 * onSalesbotDesignerSave returned): the widget step's request with amoCRM's markers filled, the
 * wait for the continue, and the exit its conditions lead to.
 */
describe('amocrm-emulator: a Salesbot built from steps (the designer step)', () => {
  let h: Harness;
  let lead: number;
  beforeEach(async () => {
    h = await harness();
    lead = h.emu.addLead(h.account.id, { price: 4500 }).id;
  });
  afterEach(() => h.emu.stop());

  const continueWith = (exec: EmuBotExecution, botId: number, data: Record<string, unknown>) =>
    h.api('POST', `/api/v4/salesbot/${botId}/continue/${exec.continueId}`, { data });

  for (const [status, exit] of [
    ['ok', 'success'],
    ['paid', 'paid'],
    ['error', 'error'],
    ['something new', 'error'],
  ] as const) {
    it(`runs dramlink's designer step: widget_request with {{lead.id}} filled, waits, and leaves through "${exit}" on status ${status}`, async () => {
      const w = await widgetServer();
      try {
        const steps = JSON.parse(salesbotSteps(w.base, 'payment_link', { amount_source: 'fixed', fixed_amount: '7000' }));
        const bot = h.emu.addSalesbot(h.account.id, { steps, exits: [...SALESBOT_EXITS] });
        const exec = h.emu.runBot(h.account.id, bot.id, lead);
        expect(exec.state).to.equal('waiting');
        await h.emu.settle();
        expect(w.got).to.have.length(1);
        expect(w.got[0].data).to.include({ lead_id: String(lead), amount_source: 'fixed', fixed_amount: '7000' });
        expect(w.got[0].return_url).to.equal(`${h.emu.url}/api/v4/salesbot/${bot.id}/continue/${exec.continueId}`);
        expect((await continueWith(exec, bot.id, { status, payment_url: 'https://pay.example/x' })).status).to.equal(202);
        expect(h.emu.botExecutions[0]).to.include({ state: 'exited', exit, widgetRequestStatus: 200 });
        expect(h.emu.botExecutions[0].json).to.include({ payment_url: 'https://pay.example/x' });
      } finally {
        w.close();
      }
    });
  }

  it('is started through the run API like any bot, and fails the run when the widget answers 500 (no continue can come)', async () => {
    const w = await widgetServer(500);
    try {
      const bot = h.emu.addSalesbot(h.account.id, { steps: JSON.parse(salesbotSteps(w.base, 'payment_link', {})) });
      expect((await h.api('POST', '/api/v2/salesbot/run', [{ bot_id: bot.id, entity_id: lead, entity_type: 2 }])).status).to.equal(202);
      await h.emu.settle();
      expect(h.emu.botExecutions[0]).to.include({ state: 'failed', widgetRequestStatus: 500 });
      expect(h.emu.botExecutions[0].error).to.contain('500');
    } finally {
      w.close();
    }
  });

  it('refuses code amoCRM would not run (an unknown handler, a goto past the end) and an exit the widget did not declare', () => {
    const add = (steps: unknown[]) => () => h.emu.addSalesbot(h.account.id, { steps });
    expect(add([{ question: [{ handler: 'request', params: { url: 'x' } }] }])).to.throw(/no "request" handler/);
    expect(add([{ question: [{ handler: 'goto', params: { type: 'question', step: 1 } }] }])).to.throw(/step between 0 and 0/);
    expect(add([{ answer: [] }])).to.throw(/no question/);
    const bot = h.emu.addSalesbot(h.account.id, {
      steps: [
        {
          question: [
            { handler: 'show', params: { type: 'text', value: 'Hi #{{lead.id}}' } },
            { handler: 'exits', params: { value: 'fail' } },
          ],
        },
      ],
      exits: ['success', 'error'],
    });
    const exec = h.emu.runBot(h.account.id, bot.id, lead);
    expect(exec).to.include({ state: 'failed' });
    expect(exec.error).to.contain('"fail" is not one the widget declared');
    expect(h.emu.botMessages.map((m) => m.text)).to.deep.equal([`Hi #${lead}`]);
  });

  it('answers the next amoCRM request with an injected error from the debug route (for the playground), and refuses a bad one', async () => {
    const add = (body: unknown) =>
      fetch(`${h.emu.url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await add({ path: '/api/v2/salesbot/run', status: 503 })).status).to.equal(200);
    expect((await add({ path: 'http://elsewhere/', status: 500 })).status).to.equal(400);
    expect((await add({ path: '/api/v4/leads', status: 200 })).status).to.equal(400);
    const bot = h.emu.addSalesbot(h.account.id);
    const run = () => h.api('POST', '/api/v2/salesbot/run', [{ bot_id: bot.id, entity_id: lead }]);
    expect((await run()).status).to.equal(503);
    expect((await run()).status).to.equal(202);
  });
});
