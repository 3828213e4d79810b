import { eq } from 'drizzle-orm';
import {
  startAmocrmEmulator,
  type AccountInput,
  type AmocrmEmulator,
  type EmuAccount,
  type EmulatorOptions,
} from '../../../../scripts/amocrm-emulator/index.ts';
import { createAccountContexts } from '../../../../server/accounts/account-context.ts';
import { createAmocrmServices, type AmocrmServices } from '../../../../server/amocrm/index.ts';
import { readTokens } from '../../../../server/amocrm/token-store.ts';
import type { AmocrmClientOptions } from '../../../../server/amocrm/client.ts';
import type { SyncWake } from '../../../../server/sync/sync-wake.ts';
import { createSyncWorker, type SyncWorker, type SyncWorkerOptions } from '../../../../server/sync/worker.ts';
import { applyProviderFact } from '../../../../server/payments/apply-provider-fact.ts';
import { createPayment } from '../../../../server/payments/create-payment.ts';
import { openAttempt } from '../../../../server/payments/open-attempt.ts';
import type { PaymentRow } from '../../../../server/payments/payment-state.ts';
import { createAxiosHttpClient } from '../../../../server/platform/http-client.ts';
import { startTestApp, type TestApp, type TestAppOptions } from '../../../support/test-app.ts';
import { VirtualClock } from './virtual-clock.ts';

export const CLIENT = {
  clientId: '5c3a1b7e-0000-4000-8000-00000000c1d0',
  clientSecret: 'emulator-test-secret',
  redirectUri: 'https://pay.example.am/oauth/callback',
};

export interface EmulatedApp {
  t: TestApp;
  emu: AmocrmEmulator;
  clock: VirtualClock;
  account: EmuAccount;
  /** Runs the install callback as amoCRM would; returns the response (303 on success). */
  install(code?: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real app on a virtual clock, its AMOCRM_BASE_URL pointing at the amoCRM emulator on the same
 * clock, with one emulated account (not installed yet).
 */
export async function startEmulatedApp(
  opts: {
    env?: Record<string, string>;
    emulator?: Partial<EmulatorOptions>;
    logLevel?: string;
    account?: AccountInput;
    store?: TestAppOptions['store'];
  } = {},
): Promise<EmulatedApp> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 10, 0, 0));
  const emu = await startAmocrmEmulator({ ...CLIENT, now: () => clock.now(), ...opts.emulator });
  const t = await startTestApp({
    clock,
    http: clock.track(createAxiosHttpClient({ defaultTimeoutMs: 5_000 })),
    logLevel: opts.logLevel ?? 'error',
    store: opts.store,
    env: {
      AMOCRM_CLIENT_ID: CLIENT.clientId,
      AMOCRM_CLIENT_SECRET: CLIENT.clientSecret,
      AMOCRM_REDIRECT_URI: CLIENT.redirectUri,
      AMOCRM_BASE_URL: emu.url,
      AMOCRM_RPS: '7',
      ...opts.env,
    },
  });
  const account = emu.addAccount({ subdomain: 'shop', ...opts.account });
  return {
    t,
    emu,
    clock,
    account,
    install: (code) =>
      fetch(
        `${t.url}/oauth/callback?code=${encodeURIComponent(code ?? emu.issueAuthCode(account.id))}&referer=${account.referer}&from_widget=1&platform=1`,
        { redirect: 'manual' },
      ),
    close: async () => {
      await t.close();
      await emu.stop();
    },
  };
}

/** Installs and lets the account offer the sandbox provider, so the ledger can open attempts. */
export async function installWithSandbox(e: EmulatedApp): Promise<number> {
  const res = await e.install();
  if (res.status !== 303) throw new Error(`install failed: ${res.status} ${await res.text()}`);
  const now = e.clock.now();
  await e.t.db
    .insert(e.t.db.t.providerConfigs)
    .values({
      accountId: e.account.id,
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentialsSealed: e.t.app.services.secretBox.seal('{}'),
      updatedAt: now,
    })
    .onConflictDoNothing();
  return e.account.id;
}

export function newLeadPayment(e: EmulatedApp, input: { leadId?: number; amountMinor?: number } = {}): Promise<PaymentRow> {
  const leadId = input.leadId ?? e.emu.addLead(e.account.id, { name: 'Order' }).id;
  return createPayment(e.t.app.services.ledger, {
    accountId: e.account.id,
    leadId,
    amountMinor: input.amountMinor ?? 150000,
    currency: 'AMD',
    providers: ['sandbox'],
    expiresInHours: 24,
    createdBy: 'user:7',
    publicUrl: e.t.config.publicUrl,
  });
}

/** Opens an attempt and applies a verified "paid" fact, as a signed notification would. */
export async function payPayment(e: EmulatedApp, payment: PaymentRow): Promise<void> {
  const ledger = e.t.app.services.ledger;
  const attempt = await openAttempt(ledger, { paymentId: payment.id, provider: 'sandbox', orderNo: (n) => `ord-${payment.id}-${n}` });
  await applyProviderFact(ledger, {
    attemptId: attempt.id,
    actor: 'provider:sandbox',
    fact: {
      status: 'paid',
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      providerPaymentId: `sbx-${attempt.id}`,
      rawStatus: 'paid',
    },
  });
}

export async function jobStates(e: EmulatedApp): Promise<Record<string, number>> {
  const { syncJobs } = e.t.db.t;
  const rows = await e.t.db.select({ state: syncJobs.state }).from(syncJobs).where(eq(syncJobs.accountId, e.account.id));
  const out: Record<string, number> = {};
  for (const r of rows) out[r.state] = (out[r.state] ?? 0) + 1;
  return out;
}

export async function accountRow(e: EmulatedApp) {
  const { accounts } = e.t.db.t;
  return (await e.t.db.select().from(accounts).where(eq(accounts.id, e.account.id)))[0];
}

/** Runs worker passes, moving the clock to the next due job between them, until nothing is left to do. */
export async function syncUntilIdle(e: EmulatedApp, opts: { maxPasses?: number; worker?: SyncWorker } = {}): Promise<void> {
  for (let i = 0; i < (opts.maxPasses ?? 50); i++) {
    await (opts.worker ?? e.t.app.services.syncWorker).runOnce();
    const { syncJobs } = e.t.db.t;
    const open = (
      await e.t.db
        .select({ nextRunAt: syncJobs.nextRunAt, state: syncJobs.state })
        .from(syncJobs)
        .where(eq(syncJobs.accountId, e.account.id))
    ).filter((r) => r.state === 'pending' || r.state === 'failing' || r.state === 'in_flight');
    if (open.length === 0) return;
    const next = Math.min(...open.map((r) => r.nextRunAt));
    if (next > e.clock.now()) e.clock.set(next);
  }
  throw new Error('sync did not become idle');
}

/**
 * Another amoCRM stack on the same app database and clock: its own single-flight, rate budget and
 * lease holder (a second process), or other client and worker settings (short timeouts, fewer attempts).
 */
export function extraStack(
  e: EmulatedApp,
  opts: { processId?: string; client?: AmocrmClientOptions; worker?: SyncWorkerOptions; wake?: SyncWake } = {},
): { amocrm: AmocrmServices; worker: SyncWorker } {
  const s = e.t.app.services;
  const amocrm = createAmocrmServices({
    config: s.config,
    store: s.store,
    clock: s.clock,
    http: s.http,
    logger: s.logger,
    secretBox: s.secretBox,
    processId: opts.processId ?? 'process-b',
    client: opts.client,
  });
  const accounts = createAccountContexts({ store: s.store, clock: s.clock, client: amocrm.client, amocrm: s.config.amocrm });
  const worker = createSyncWorker({
    config: s.config,
    store: s.store,
    clock: s.clock,
    logger: s.logger,
    accounts,
    amocrm,
    wake: opts.wake,
    options: opts.worker,
  });
  return { amocrm, worker };
}

/** The account's stored OAuth pair, opened. */
export async function storedTokens(e: EmulatedApp, accountId: number) {
  const { store, secretBox } = e.t.app.services;
  return (await store.run((tx) => readTokens(tx, secretBox, accountId)))!;
}

/** `n` results of `make`, one after another. */
export async function times<T>(n: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await make());
  return out;
}
