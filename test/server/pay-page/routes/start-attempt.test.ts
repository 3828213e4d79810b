import { expect } from 'chai';
import { attempts } from '../../../../server/db/schema.ts';
import { seedAccount, startTestApp, type TestApp } from '../../../support/test-app.ts';
import { choose, newPayment, payThroughSandbox } from '../pay-page-fixture.ts';

describe('pay page: POST /pay/:token', () => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp();
    accountId = await seedAccount(t, {
      providers: {
        sandbox: { webhookSecret: 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=' },
        idram: { recAccount: '110000601', secretKey: 'k' },
      },
    });
  });
  afterEach(() => t.close());

  it('refuses a provider this payment does not offer (400) and opens no attempt', async () => {
    const p = await newPayment(t, accountId, { providers: ['sandbox'] });
    const res = await choose(t, p.linkToken, 'idram');
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(html).to.contain('The payment provider is unavailable');
    expect(html).to.contain('value="sandbox"');
    expect(t.db.select().from(attempts).all()).to.have.length(0);
  });

  it('shows the choice again (502) when the provider refuses to open a session, instead of an error page', async () => {
    // Idram takes only AMD: a USD payment is refused when the session is created.
    const p = await newPayment(t, accountId, { providers: ['idram'], currency: 'USD' });
    const res = await choose(t, p.linkToken, 'idram');
    expect(res.status).to.equal(502);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(await res.text()).to.contain('value="idram"');
  });

  it('auto-posts the provider form with a script allowed only by this response nonce', async () => {
    const p = await newPayment(t, accountId, { providers: ['idram'] });
    const res = await choose(t, p.linkToken, 'idram');
    expect(res.status).to.equal(200);
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    const html = await res.text();
    expect(nonce).to.be.a('string');
    expect(html).to.contain(`<script nonce="${nonce}">`);
    expect(html).to.match(/<form id="pay" method="post" action="https:\/\/[^"]+"/);
  });

  it('answers a click on an already paid link with the paid page, not a second session', async () => {
    const p = await newPayment(t, accountId);
    await payThroughSandbox(t, p.linkToken, 'pay');
    const res = await choose(t, p.linkToken, 'sandbox');
    expect(res.status).to.equal(200);
    expect(await res.text()).to.contain('This payment has already been made');
    expect(t.db.select().from(attempts).all()).to.have.length(1);
  });
});
