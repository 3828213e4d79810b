import { expect } from 'chai';
import { createOutboundPolicy, judgeProviderUrl, OFFICIAL_HOSTS } from '../../../../server/providers/transport/outbound-policy.ts';

describe('transport: the outbound policy (where a provider call may go)', () => {
  const policy = createOutboundPolicy({
    allowedHosts: [{ host: '127.0.0.1', port: 4010 }, { host: 'bank-test.example.am' }],
    publicUrl: 'http://127.0.0.1:3000',
  });
  const judge = (provider: 'arca' | 'ameriabank' | 'sandbox' | 'telcell' | 'idram', url: string, baseUrl = true) =>
    judgeProviderUrl(policy, provider, url, { baseUrl });

  it("allows each provider's official hosts over https, on any port, with the address checked at connect time", () => {
    expect(judge('arca', 'https://ipaytest.arca.am:8445/payment/rest')).to.deep.equal({ allowed: true, trusted: false });
    expect(judge('arca', 'https://epg.arca.am/payment/rest')).to.deep.equal({ allowed: true, trusted: false });
    expect(judge('ameriabank', 'https://services.ameriabank.am/VPOS/')).to.deep.equal({ allowed: true, trusted: false });
    expect(judge('telcell', 'https://telcellmoney.am')).to.deep.equal({ allowed: true, trusted: false });
    expect(judge('idram', 'https://banking.idram.am')).to.deep.equal({ allowed: true, trusted: false });
    for (const [provider, hosts] of Object.entries(OFFICIAL_HOSTS)) {
      for (const host of hosts) expect(host, provider).to.match(/^[a-z0-9.-]+\.am$/);
    }
  });

  it("refuses another provider's host, and plain http on an official one", () => {
    expect(judge('ameriabank', 'https://ipay.arca.am/payment/rest')).to.include({ allowed: false });
    expect(judge('arca', 'http://ipay.arca.am/payment/rest')).to.deep.equal({ allowed: false, reason: 'must be an https:// URL' });
  });

  it('trusts an operator-listed host (http, any address), on its port only when the entry names one', () => {
    expect(judge('arca', 'http://127.0.0.1:4010/payment/rest')).to.deep.equal({ allowed: true, trusted: true });
    expect(judge('arca', 'http://127.0.0.1:4011/payment/rest')).to.include({ allowed: false });
    expect(judge('arca', 'https://bank-test.example.am:9443/payment/rest')).to.deep.equal({ allowed: true, trusted: true });
  });

  it("lets the sandbox reach this server's own PUBLIC_URL, and no other provider", () => {
    expect(judge('sandbox', 'http://127.0.0.1:3000/sandbox/api/sessions', false)).to.deep.equal({ allowed: true, trusted: true });
    expect(judge('arca', 'http://127.0.0.1:3000/payment/rest')).to.include({ allowed: false });
  });

  const attacks: Array<[string, string, RegExp]> = [
    ['loopback', 'http://127.0.0.1:3999/internal', /not one of the provider's/],
    ['10/8', 'https://10.0.0.5/payment/rest', /not one of the provider's/],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data', /not one of the provider's/],
    ['IPv6 loopback', 'https://[::1]/payment/rest', /not one of the provider's/],
    ['a decimal IPv4', 'http://2130706433/payment/rest', /not one of the provider's/],
    ['localhost', 'https://localhost/payment/rest', /not one of the provider's/],
    ['userinfo', 'https://user:pw@ipay.arca.am/payment/rest', /user name or password/],
    ['userinfo hiding the host', 'https://ipay.arca.am@169.254.169.254/payment/rest', /user name or password/],
    ['a fragment dropping our path', 'https://ipay.arca.am/payment/rest#', /fragment/],
    ['a query', 'https://ipay.arca.am/payment/rest?x=1', /query string/],
    ['a bare ?', 'https://ipay.arca.am/payment/rest?', /query string/],
    ['another scheme', 'file:///etc/passwd', /https:\/\//],
    ['not a URL', 'ipay.arca.am', /absolute URL/],
  ];
  for (const [what, url, reason] of attacks) {
    it(`refuses ${what} as a baseUrl (${url})`, () => {
      const verdict = judge('arca', url);
      expect(verdict.allowed).to.equal(false);
      expect((verdict as { reason: string }).reason).to.match(reason);
    });
  }

  it('lets a call URL carry a query but never a fragment or userinfo', () => {
    expect(judge('arca', 'https://ipay.arca.am/payment/rest/x.do?a=1', false)).to.deep.equal({ allowed: true, trusted: false });
    expect(judge('arca', 'https://ipay.arca.am/x#/register.do', false)).to.include({ allowed: false });
  });
});
