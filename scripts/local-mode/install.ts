import type { AmocrmEmulator } from '../amocrm-emulator/index.ts';

/**
 * Installs an emulated account the way amoCRM does: the emulator issues an authorization code and
 * the "browser" (here: this process) opens the redirect URI with it, so the real /oauth/callback
 * exchanges the code, stores the tokens and creates the lead fields. Runs on every start: the
 * emulator is in memory, so yesterday's tokens and fields are gone.
 *
 * `serverUrl` is how this process reaches its own listener (loopback); the path is the redirect
 * URI's, as amoCRM would call it.
 */
export async function installThroughCallback(o: {
  emulator: AmocrmEmulator;
  accountId: number;
  serverUrl: string;
  redirectUri: string;
}): Promise<{ path: string; location: string }> {
  const account = o.emulator.getAccount(o.accountId);
  if (!account) throw new Error(`local mode: the emulator has no account ${o.accountId}`);
  const code = o.emulator.issueAuthCode(o.accountId);
  const path = new URL(o.redirectUri).pathname;
  const url = new URL(path, o.serverUrl);
  url.search = new URLSearchParams({
    code,
    referer: account.referer,
    platform: account.domain === 'amocrm.ru' ? '1' : '2',
    from_widget: '1',
  }).toString();
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const location = res.headers.get('location') ?? '';
  if (res.status !== 303 || !location.startsWith('/oauth/connected')) {
    const text = (await res.text())
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    throw new Error(`local mode: installing the demo account through ${path} answered ${res.status}: ${text.slice(0, 400)}`);
  }
  return { path, location };
}
