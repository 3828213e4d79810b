import { startAmocrmEmulator, type AmocrmEmulator, type EmuAccount, type EmulatorOptions } from '../../../scripts/amocrm-emulator/index.ts';

export const CLIENT = {
  clientId: '5c3a1b7e-0000-4000-8000-00000000c1d0',
  clientSecret: 'emulator-test-secret',
  redirectUri: 'https://pay.example.am/oauth/callback',
};

/** A clock tests move by hand, so rate windows and expiries never depend on the machine's speed. */
export class FakeClock {
  constructor(public ms = Date.UTC(2026, 0, 15, 10, 0, 0)) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface Harness {
  emu: AmocrmEmulator;
  account: EmuAccount;
  accessToken: string;
  clock: FakeClock;
  api(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** An emulator on a fake clock with one account and a valid access token for its admin. */
export async function harness(opts: Partial<EmulatorOptions> = {}): Promise<Harness> {
  const clock = new FakeClock();
  const emu = await startAmocrmEmulator({ ...CLIENT, now: clock.now, ...opts });
  const account = emu.addAccount({ subdomain: 'shop' });
  const accessToken = emu.issueTokens(account.id).access_token;
  return {
    emu,
    account,
    accessToken,
    clock,
    api: (method, path, body, token = accessToken) =>
      call(`${emu.url}${path}`, method, body, token ? { authorization: `Bearer ${token}` } : {}),
  };
}

export async function exchange(emu: AmocrmEmulator, body: Record<string, unknown>): Promise<ApiResponse> {
  return call(`${emu.url}/oauth2/access_token`, 'POST', {
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    redirect_uri: CLIENT.redirectUri,
    ...body,
  });
}
