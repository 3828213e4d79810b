import { expect } from 'chai';
import { CONNECT_TIMEOUT_CODE, HttpTransportError } from '../../../../server/platform/http-client.ts';
import { NEVER_SENT_CODES, neverSentHint } from '../../../../server/providers/transport/never-sent.ts';

const failure = (code: string, timedOut = false) => new HttpTransportError(`simulated ${code}`, code, timedOut);

describe('the one never-sent network-code list', () => {
  it('covers DNS, refused connections, our connect timeout and TLS certificate failures (the codes Telcell and sandbox used to miss)', () => {
    for (const code of [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      CONNECT_TIMEOUT_CODE,
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]) {
      expect(NEVER_SENT_CODES, code).to.include(code);
    }
  });

  it('gives every never-sent code a hint that says what to check', () => {
    for (const code of NEVER_SENT_CODES) expect(neverSentHint(failure(code)), code).to.match(/\bcheck\b/);
  });

  it('does not call a reset or a read timeout "never sent": the provider may have acted on it', () => {
    expect(neverSentHint(failure('ECONNRESET'))).to.equal(undefined);
    expect(neverSentHint(failure('ECONNABORTED', true))).to.equal(undefined);
    expect(neverSentHint(failure('EPIPE'))).to.equal(undefined);
  });

  it('trusts the timedOut flag over the code: a timed-out request may have arrived', () => {
    expect(neverSentHint(failure('ECONNREFUSED', true))).to.equal(undefined);
  });
});
