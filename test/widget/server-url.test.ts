import { expect } from 'chai';
import { resolveServerUrl } from '../../widget/src/server-url.ts';

describe('server URL', () => {
  it('uses the address baked in at build time by default', () => {
    expect(resolveServerUrl({}, 'https://pay.example/')).to.equal('https://pay.example');
  });

  it("lets the admin's server_url setting override it", () => {
    expect(resolveServerUrl({ server_url: ' https://staging.example// ' }, 'https://pay.example')).to.equal('https://staging.example');
  });

  it('ignores a server_url that is not an http(s) address instead of calling it', () => {
    expect(resolveServerUrl({ server_url: 'javascript:alert(1)' }, 'https://pay.example')).to.equal('https://pay.example');
  });
});
