import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { harness, type Harness } from './helpers.ts';

/** A widget server that records what amoCRM sent it. */
async function receiver(answer: (body: unknown) => number = () => 200) {
  const got: Array<{ type: string | undefined; body: unknown }> = [];
  const app = express();
  app.use(express.json(), express.urlencoded({ extended: true }));
  app.post('/hook', (req, res) => {
    got.push({ type: req.get('content-type'), body: req.body });
    res.status(answer(req.body)).json({ ok: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => server.close() };
}

describe('amocrm-emulator: Salesbot widget steps and Digital Pipeline hooks', () => {
  let h: Harness;
  let lead: number;
  beforeEach(async () => {
    h = await harness();
    lead = h.emu.addLead(h.account.id, { price: 100 }).id;
  });
  afterEach(() => h.emu.stop());

  it('posts a widget_request {token, data, return_url} and continues the bot once, sending the message with {{json.*}} filled', async () => {
    const r = await receiver();
    try {
      const bot = h.emu.addSalesbot(h.account.id, { message: 'Pay: {{json.payment_url}}' });
      const sent = await h.emu.sendWidgetRequest(h.account.id, { url: r.url, leadId: lead, botId: bot.id });
      expect(sent.status).to.equal(200);
      const body = r.got[0].body as { token: string; return_url: string; data: Record<string, unknown> };
      expect(body.return_url).to.equal(`${h.emu.url}/api/v4/salesbot/${bot.id}/continue/${sent.continueId}`);
      const header = JSON.parse(Buffer.from(body.token.split('.')[0], 'base64url').toString());
      expect(header.alg).to.equal('HS512');
      const path = new URL(body.return_url).pathname;
      const first = await h.api('POST', path, { data: { payment_url: 'https://pay.example/x' } });
      expect(first.status).to.equal(202);
      const again = await h.api('POST', path, { data: { payment_url: 'https://pay.example/x' } });
      expect(again.status).to.equal(404);
      expect(h.emu.botMessages).to.deep.include({
        accountId: h.account.id,
        botId: bot.id,
        leadId: lead,
        text: 'Pay: https://pay.example/x',
        at: h.emu.botMessages[0].at,
      });
    } finally {
      r.close();
    }
  });

  it('refuses a continue from a non-admin token and a show text over 80 characters', async () => {
    const bot = h.emu.addSalesbot(h.account.id);
    const managerToken = h.emu.issueTokens(h.account.id, { userId: h.account.users.find((u) => !u.is_admin)!.id }).access_token;
    const path = `/api/v4/salesbot/${bot.id}/continue/1`;
    expect((await h.api('POST', path, { data: {} }, managerToken)).status).to.equal(403);
    const long = { data: {}, execute_handlers: [{ handler: 'show', params: { type: 'text', value: 'x'.repeat(81) } }] };
    expect((await h.api('POST', path, long)).status).to.equal(400);
  });

  it('runs a bot through the amoCRM (v2) and Kommo (v4) APIs, firing its widget step', async () => {
    const r = await receiver();
    try {
      const bot = h.emu.addSalesbot(h.account.id, { widgetRequestUrl: r.url });
      expect((await h.api('POST', '/api/v2/salesbot/run', [{ bot_id: bot.id, entity_id: lead, entity_type: 2 }])).status).to.equal(202);
      expect((await h.api('POST', `/api/v4/bots/${bot.id}/run`, { entity_id: lead, entity_type: 'leads' })).status).to.equal(202);
      expect((await h.api('POST', '/api/v2/salesbot/run', [{ bot_id: 1, entity_id: lead }])).status).to.equal(400);
      await h.emu.settle();
      expect(h.emu.botRuns.map((x) => x.api)).to.deep.equal(['v2', 'v4']);
      expect(r.got).to.have.length(2);
    } finally {
      r.close();
    }
  });

  it('fires a Digital Pipeline hook as JSON or as a PHP-style form, with the trigger settings', async () => {
    const r = await receiver();
    try {
      const input = { url: r.url, leadId: lead, settings: { dramlink_key: 'k1', amount: 'lead_price' }, time: 1_768_471_200 };
      await h.emu.fireDigitalPipeline(h.account.id, input);
      await h.emu.fireDigitalPipeline(h.account.id, { ...input, format: 'form' });
      expect(r.got[0].type).to.match(/json/);
      expect(r.got[1].type).to.match(/x-www-form-urlencoded/);
      for (const { body } of r.got) {
        const b = body as {
          account_id: unknown;
          event: { data: { id: unknown } };
          action: { settings: { widget: { settings: Record<string, string> } } };
        };
        expect(String(b.account_id)).to.equal(String(h.account.id));
        expect(String(b.event.data.id)).to.equal(String(lead));
        expect(b.action.settings.widget.settings.dramlink_key).to.equal('k1');
      }
    } finally {
      r.close();
    }
  });
});
