import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import jwt from 'jsonwebtoken';
import { startAmocrmEmulator, type AmocrmEmulator, type EmuAccount } from '../../../scripts/amocrm-emulator/index.ts';
import { writeTokens } from '../../../server/amocrm/token-store.ts';
import { ManualClock } from '../../../server/platform/clock.ts';
import { createAxiosHttpClient, type HttpClient, type HttpRequest, type HttpResponse } from '../../../server/platform/http-client.ts';
import type { LookupFunction } from 'node:net';
import { seedAccount, startTestApp, type TestApp, type TestAppOptions } from '../../support/test-app.ts';

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret';
/** A redirect URI on another origin than the test server: `aud` must be its origin, not the server's. */
export const REDIRECT_URI = 'https://pay.dramlink.example/oauth/callback';
export const AUDIENCE = 'https://pay.dramlink.example';

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface WidgetFixture {
  t: TestApp;
  emu: AmocrmEmulator;
  account: EmuAccount;
  accountId: number;
  adminId: number;
  managerId: number;
  /** A fresh disposable token, as amoCRM's $authorizedAjax would send it. */
  token(opts?: { admin?: boolean; userId?: number; overrides?: Record<string, unknown>; secret?: string; accountId?: number }): string;
  /** A call to /api/v1 with a fresh token (unless `token` is given, or null for none). */
  api<T = any>(
    method: string,
    path: string,
    opts?: { body?: unknown; token?: string | null; admin?: boolean; origin?: string; rawBody?: string; contentType?: string },
  ): Promise<ApiAnswer<T>>;
  /** While true, the sandbox gateway's notifications are swallowed (answered 200, never delivered): only a status query can tell. */
  dropWebhooks: boolean;
  /** Answers (or fails) an outbound call instead of the network when it returns a promise. */
  intercept?: (req: HttpRequest) => Promise<HttpResponse> | undefined;
  /** A second installed account, with its own emulator account. */
  addAccount(): Promise<{ account: EmuAccount; token(opts?: { admin?: boolean }): string }>;
  close(): Promise<void>;
}

/** Installs an emulator account in the server's database, with a token pair, as the install flow would. */
export async function installAccount(t: TestApp, emu: AmocrmEmulator, account: EmuAccount): Promise<void> {
  await seedAccount(t, { id: account.id, subdomain: account.subdomain });
  const pair = emu.issueTokens(account.id);
  const { store, secretBox } = t.app.services;
  await store.transaction((tx) =>
    writeTokens(
      tx,
      secretBox,
      account.id,
      { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresIn: pair.expires_in },
      t.clock.now(),
    ),
  );
}

/**
 * The real app on an in-memory database with the sandbox provider and the amoCRM emulator
 * (AMOCRM_BASE_URL), one installed account with an admin and a manager.
 */
export async function startWidgetFixture(
  opts: {
    env?: Record<string, string>;
    /** The resolver behind the app's address check (tests never use real DNS). */
    lookup?: LookupFunction;
    strangerBudgets?: TestAppOptions['strangerBudgets'];
    store?: TestAppOptions['store'];
  } = {},
): Promise<WidgetFixture> {
  const clock = new ManualClock(Date.now());
  const emu = await startAmocrmEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    now: () => clock.now(),
    rps: Infinity,
  });
  const transport = createAxiosHttpClient({ defaultTimeoutMs: 5_000, lookup: opts.lookup });
  let f: WidgetFixture | undefined;
  const http: HttpClient = {
    request: (req) => {
      const intercepted = f?.intercept?.(req);
      if (intercepted) return intercepted;
      if (f?.dropWebhooks && req.url.includes('/webhooks/')) return Promise.resolve({ status: 200, headers: {}, text: '' });
      return transport.request(req);
    },
  };
  const t = await startTestApp({
    clock,
    http,
    env: { AMOCRM_BASE_URL: emu.url, AMOCRM_REDIRECT_URI: REDIRECT_URI, ...opts.env },
    strangerBudgets: opts.strangerBudgets,
    store: opts.store,
  });
  const account = emu.addAccount();
  await installAccount(t, emu, account);
  const adminId = account.users.find((u) => u.is_admin)!.id;
  const managerId = account.users.find((u) => !u.is_admin)!.id;

  const tokenFor =
    (accountId: number, defaults: { admin: number; manager: number }) =>
    (o: { admin?: boolean; userId?: number; overrides?: Record<string, unknown>; secret?: string } = {}) =>
      emu.signDisposableToken({
        accountId,
        userId: o.userId ?? (o.admin ? defaults.admin : defaults.manager),
        isAdmin: o.admin ?? false,
        overrides: o.overrides,
        secret: o.secret,
      });
  const token = (o: Parameters<WidgetFixture['token']>[0] = {}) =>
    tokenFor(o.accountId ?? account.id, { admin: adminId, manager: managerId })(o);

  f = {
    t,
    dropWebhooks: false,
    emu,
    account,
    accountId: account.id,
    adminId,
    managerId,
    token,
    async api(method, path, o = {}) {
      const headers: Record<string, string> = {};
      const tok = o.token === undefined ? token({ admin: o.admin }) : o.token;
      if (tok !== null) headers['x-auth-token'] = tok;
      if (o.origin) headers.origin = o.origin;
      let body: string | undefined;
      if (o.rawBody !== undefined) body = o.rawBody;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
      const res = await fetch(`${t.url}/api/v1${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
    async addAccount() {
      const other = emu.addAccount();
      await installAccount(t, emu, other);
      const ids = { admin: other.users.find((u) => u.is_admin)!.id, manager: other.users.find((u) => !u.is_admin)!.id };
      return { account: other, token: (o: { admin?: boolean } = {}) => tokenFor(other.id, ids)(o) };
    },
    async close() {
      await t.close();
      await emu.stop();
    },
  };
  return f;
}

/** Claims of a valid token, to re-sign differently (another algorithm, another key). */
export function claimsOf(token: string): Record<string, unknown> {
  return jwt.decode(token) as Record<string, unknown>;
}

export async function setAccountState(
  f: WidgetFixture,
  state: 'active' | 'needs_reconnect' | 'disconnected' | 'blocked',
  accountId = f.accountId,
): Promise<void> {
  const { accounts } = f.t.db.t;
  await f.t.db.update(accounts).set({ state }).where(eq(accounts.id, accountId));
}

export function expectError(res: ApiAnswer, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.body?.error?.code, JSON.stringify(res.body)).to.equal(code);
  expect(res.body.error.message).to.be.a('string').and.not.empty;
}

/** The customer pays (or declines) through the pay page and the sandbox checkout; the signed notification settles it. */
export async function payThroughSandbox(f: WidgetFixture, link: string, outcome: 'pay' | 'decline' = 'pay'): Promise<void> {
  const checkout = await openSandboxCheckout(f, link);
  await finishSandboxCheckout(f, checkout, outcome);
}

export async function openSandboxCheckout(f: WidgetFixture, link: string): Promise<string> {
  const chosen = await fetch(link, { method: 'POST', body: new URLSearchParams({ provider: 'sandbox' }), redirect: 'manual' });
  expect(chosen.status).to.equal(303);
  return chosen.headers.get('location')!;
}

export async function finishSandboxCheckout(f: WidgetFixture, checkout: string, outcome: 'pay' | 'decline'): Promise<void> {
  const done = await fetch(`${checkout}/${outcome}`, { method: 'POST', redirect: 'manual' });
  expect(done.status).to.equal(303);
  await f.t.sandboxGateway!.idle();
}

/** Runs `work` while the fixture's manual clock moves on, so the per-account rate budget frees its slots. */
export async function whileTimePasses<T>(f: WidgetFixture, work: () => Promise<T>): Promise<T> {
  const ticking = setInterval(() => f.t.clock.advance(1_000), 5);
  try {
    return await work();
  } finally {
    clearInterval(ticking);
  }
}
