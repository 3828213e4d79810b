import { expect } from 'chai';
import { PROVIDER_FIELDS } from '../../../widget/src/settings/provider-fields.ts';
import { readProvider } from '../../../widget/src/settings/read-provider.ts';

describe('readProvider', () => {
  it('leaves out a provider that is not stored, not enabled and has nothing typed', () => {
    const errors = {};
    expect(readProvider('idram', PROVIDER_FIELDS.idram, undefined, {}, errors)).to.equal(undefined);
    expect(errors).to.deep.equal({});
  });

  it('takes a secret exactly as typed (a leading space may be part of it) and trims other fields', () => {
    const out = readProvider('idram', PROVIDER_FIELDS.idram, undefined, { 'p.idram.recAccount': ' 110 ', 'p.idram.secretKey': ' k ' }, {});
    expect(out).to.deep.equal({ enabled: false, mode: 'test', recAccount: '110', secretKey: ' k ' });
  });

  it('never sends a stored mask back, and echoes stored fields the form does not show', () => {
    const prev = { enabled: true, secretKey: '••••abcd', legacyFlag: 'x' };
    const out = readProvider('idram', PROVIDER_FIELDS.idram, prev, { 'p.idram.enabled': true, 'p.idram.recAccount': '110' }, {});
    expect(out).to.deep.equal({ enabled: true, mode: 'test', legacyFlag: 'x', recAccount: '110' });
  });

  it('rejects a URL that is not http(s) and drops trailing slashes from one that is', () => {
    const errors: Record<string, string> = {};
    const bad = { 'p.arca.baseUrl': 'ipay.arca.am' };
    readProvider('arca', PROVIDER_FIELDS.arca, undefined, bad, errors);
    expect(errors).to.deep.equal({ 'p.arca.baseUrl': 'setup.url' });
    const out = readProvider('arca', PROVIDER_FIELDS.arca, undefined, { 'p.arca.baseUrl': 'https://ipay.arca.am//' }, {});
    expect(out?.baseUrl).to.equal('https://ipay.arca.am');
  });
});
