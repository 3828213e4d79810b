import { CONNECT_TIMEOUT_CODE, type HttpTransportError } from '../../platform/http-client.ts';

/**
 * The one list of network failures where the request surely never left us: no connection was
 * made, or TLS refused the host before a byte of the request was written. Each says what to check.
 * Anything not listed (a reset, a read timeout) may have reached the provider: outcome unknown.
 */
const NEVER_SENT: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve: check it for typos, and the DNS of this server',
  EAI_AGAIN: 'DNS did not answer: check the network and DNS of this server, then try again',
  ECONNREFUSED: 'the host refused the connection: check the host and port, and that the provider is up',
  [CONNECT_TIMEOUT_CODE]: 'no connection within the connect timeout: check the host, the port and any firewall in between',
  ENETUNREACH: 'the network is unreachable from this server: check its outbound network',
  EHOSTUNREACH: 'the host is unreachable from this server: check the host and the outbound network',
  ERR_INVALID_URL: 'the provider URL is not a valid URL: check how it is written',
  CERT_HAS_EXPIRED: "the provider's TLS certificate has expired (or this server's clock is wrong): check the clock, then ask the provider",
  CERT_NOT_YET_VALID: "the provider's TLS certificate is not valid yet: check this server's clock",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the host presents a self-signed certificate: check that it is the real provider host',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in an untrusted self-signed root: check the host, or a TLS-intercepting proxy',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate chain cannot be verified (missing intermediate): check the host, or tell the provider',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate issuer is not trusted here: check the host, or a TLS-intercepting proxy',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host: check that it is the host name the provider documents',
};

/** The network codes that prove nothing was sent, for tests and documentation. */
export const NEVER_SENT_CODES: readonly string[] = Object.keys(NEVER_SENT);

/** What to check, when the failure proves the request never left; undefined when it may have. */
export function neverSentHint(err: HttpTransportError): string | undefined {
  if (err.timedOut) return undefined;
  return Object.prototype.hasOwnProperty.call(NEVER_SENT, err.code) ? NEVER_SENT[err.code] : undefined;
}
