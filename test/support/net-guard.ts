import nock from 'nock';

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/**
 * Tests reach only loopback: everything else must be mocked with nock or served by our emulators.
 * `resolvedLocally` names hosts a test resolves itself (an injected lookup answering a loopback
 * address), so nock lets the connection start and the lookup decides where it goes.
 */
export function allowOnlyLoopback(resolvedLocally: readonly string[] = []): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => LOOPBACK.test(host) || resolvedLocally.includes(host.replace(/:\d+$/, '')));
}
