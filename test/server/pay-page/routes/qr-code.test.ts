import { expect } from 'chai';
import QRCode from 'qrcode';
import { seedAccount, startTestApp, type TestApp } from '../../../support/test-app.ts';
import { newPayment } from '../pay-page-fixture.ts';

describe('pay page: GET /pay/:token/qr.svg and qr.png', () => {
  let t: TestApp;
  let accountId: number;
  beforeEach(async () => {
    t = await startTestApp();
    accountId = await seedAccount(t);
  });
  afterEach(() => t.close());

  it('draws the payment link itself (the same code the qrcode package draws for it), as SVG', async () => {
    const p = await newPayment(t, accountId);
    const res = await fetch(`${t.url}/pay/${p.linkToken}/qr.svg`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^image\/svg\+xml/);
    const svg = await res.text();
    const expected = await QRCode.toString(`${t.url}/pay/${p.linkToken}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(svg).to.equal(expected);
    const other = await QRCode.toString(`${t.url}/pay/${p.linkToken}x`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(svg).to.not.equal(other);
  });

  it('draws a PNG too', async () => {
    const p = await newPayment(t, accountId);
    const res = await fetch(`${t.url}/pay/${p.linkToken}/qr.png`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/png');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
  });

  it('draws no code for an unknown token (404), and says so without internals', async () => {
    const res = await fetch(`${t.url}/pay/${'A'.repeat(32)}/qr.svg`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.not.match(/svg/);
  });

  it('shows the code on the pay page behind "open on your phone", loaded only when opened, from this server', async () => {
    const p = await newPayment(t, accountId);
    const res = await fetch(`${t.url}/pay/${p.linkToken}?lang=en`);
    const html = await res.text();
    expect(html).to.match(/<details class="phone">[\s\S]*<img src="\/pay\/[^"]+\/qr\.svg"[^>]*loading="lazy"/);
    expect(res.headers.get('content-security-policy')).to.contain("img-src 'self'");
  });
});
