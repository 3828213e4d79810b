import { expect } from 'chai';
import type { NoteJobPayload } from '../../server/sync/outbox.ts';
import { noteMarker, renderNoteText } from '../../server/sync/render/note-text.ts';
import { and, eq, sql } from 'drizzle-orm';
import { startAmocrmEmulator, type AmocrmEmulator, type EmuAccount, type EmulatorOptions } from '../../scripts/amocrm-emulator/index.ts';
import { createPayment } from '../../server/payments/create-payment.ts';
import { openAttempt } from '../../server/payments/open-attempt.ts';
import type { AttemptRow, PaymentRow } from '../../server/payments/payment-state.ts';
import { createAxiosHttpClient, type HttpClient } from '../../server/platform/http-client.ts';
import { signStandardWebhook } from '../../server/providers/sandbox/standard-webhooks.ts';
import type { SyncWorker } from '../../server/sync/worker.ts';
import { VirtualClock } from '../server/amocrm/support/virtual-clock.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.ts';

/**
 * The fault suite's stage: the real app (startTestApp) and the amoCRM emulator on ONE virtual clock
 * (a ManualClock that also moves itself to the next sleeper while no request is in flight), every
 * outbound request of the app tracked by it, AMOCRM_BASE_URL pointing at the emulator. Accounts are
 * installed the way amoCRM does it (the OAuth callback), and offer the sandbox provider with a known
 * webhook secret so tests can send signed notifications over HTTP.
 */

export const FAULT_CLIENT = {
  clientId: '5c3a1b7e-0000-4000-8000-0000fa017e57',
  clientSecret: 'fault-suite-client-secret',
  redirectUri: 'https://pay.fault.example/oauth/callback',
};
export const SANDBOX_SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=';

/** The headers of a sandbox notification signed with SANDBOX_SECRET (Standard Webhooks), `ts` in seconds. */
export function sandboxWebhookHeaders(id: string, ts: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandardWebhook(SANDBOX_SECRET, id, ts, body),
  };
}
export const MINUTE = 60_000;
/** Virtual start of every fault scenario (the emulator and the app share it). */
export const FAULT_EPOCH = Date.UTC(2026, 2, 2, 9, 0, 0);

export interface FaultApp {
  t: TestApp;
  emu: AmocrmEmulator;
  clock: VirtualClock;
  /**
   * What the app did, in the order it did it, with virtual times: every outbound request as it
   * started, and (after spyOnPauses) every back-off its amoCRM rate budget was told to hold.
   */
  trace: TraceEntry[];
  close(): Promise<void>;
}

export type TraceEntry =
  { kind: 'request'; at: number; method: string; url: string } | { kind: 'pause'; at: number; accountId: number; until: number };

export async function startFaultApp(
  opts: { env?: Record<string, string>; emulator?: Partial<EmulatorOptions>; logLevel?: string; store?: TestAppOptions['store'] } = {},
): Promise<FaultApp> {
  const clock = new VirtualClock(FAULT_EPOCH);
  const emu = await startAmocrmEmulator({ ...FAULT_CLIENT, now: () => clock.now(), ...opts.emulator });
  const trace: TraceEntry[] = [];
  const transport = createAxiosHttpClient({ defaultTimeoutMs: 10_000 });
  const recorded: HttpClient = {
    request: (req) => {
      trace.push({ kind: 'request', at: clock.now(), method: req.method, url: req.url });
      return transport.request(req);
    },
  };
  const t = await startTestApp({
    clock,
    http: clock.track(recorded),
    logLevel: opts.logLevel ?? 'error',
    store: opts.store,
    env: {
      AMOCRM_CLIENT_ID: FAULT_CLIENT.clientId,
      AMOCRM_CLIENT_SECRET: FAULT_CLIENT.clientSecret,
      AMOCRM_REDIRECT_URI: FAULT_CLIENT.redirectUri,
      AMOCRM_BASE_URL: emu.url,
      AMOCRM_RPS: '7',
      ...opts.env,
    },
  });
  return {
    t,
    emu,
    clock,
    trace,
    close: async () => {
      await t.close();
      await emu.stop();
    },
  };
}

/** Records every 429 back-off the app's amoCRM client imposes on an account (the budget it uses is this object). */
export function spyOnPauses(f: FaultApp): void {
  const budget = f.t.app.services.amocrm.budget;
  const pause = budget.pause.bind(budget);
  budget.pause = (accountId, until) => {
    f.trace.push({ kind: 'pause', at: f.clock.now(), accountId, until });
    return pause(accountId, until);
  };
}

/** A new emulated account installed through GET /oauth/callback, offering the sandbox provider. */
export async function installAccount(f: FaultApp, input: { subdomain?: string } = {}): Promise<EmuAccount> {
  const account = f.emu.addAccount(input.subdomain ? { subdomain: input.subdomain } : {});
  const code = f.emu.issueAuthCode(account.id);
  const res = await fetch(
    `${f.t.url}/oauth/callback?code=${encodeURIComponent(code)}&referer=${account.referer}&from_widget=1&platform=1`,
    { redirect: 'manual' },
  );
  if (res.status !== 303) throw new Error(`install of ${account.subdomain} failed: ${res.status} ${await res.text()}`);
  const { secretBox } = f.t.app.services;
  const { db } = f.t;
  await db
    .insert(db.t.providerConfigs)
    .values({
      accountId: account.id,
      provider: 'sandbox',
      enabled: true,
      mode: 'test',
      credentialsSealed: secretBox.seal(JSON.stringify({ webhookSecret: SANDBOX_SECRET })),
      updatedAt: f.clock.now(),
    })
    .onConflictDoNothing();
  return account;
}

/** A payment on a new emulated lead, with `attempts` sandbox attempts opened (order numbers sbx-N). */
export async function newPayment(
  f: FaultApp,
  accountId: number,
  input: { amountMinor?: number; expiresInHours?: number; attempts?: number; leadId?: number } = {},
): Promise<{ payment: PaymentRow; attempts: AttemptRow[]; leadId: number }> {
  const leadId = input.leadId ?? f.emu.addLead(accountId, { name: 'Order' }).id;
  const { ledger } = f.t.app.services;
  const payment = await createPayment(ledger, {
    accountId,
    leadId,
    amountMinor: input.amountMinor ?? 150000,
    currency: 'AMD',
    providers: ['sandbox'],
    expiresInHours: input.expiresInHours ?? 72,
    createdBy: 'user:7',
    publicUrl: f.t.config.publicUrl,
  });
  const opened: AttemptRow[] = [];
  for (let i = 0; i < (input.attempts ?? 1); i++) {
    opened.push(await openAttempt(ledger, { paymentId: payment.id, provider: 'sandbox', orderNo: (counter) => `sbx-${counter}` }));
  }
  return { payment, attempts: opened, leadId };
}

export type SandboxType = 'payment.succeeded' | 'payment.failed' | 'payment.refunded';

export function sandboxBody(
  type: SandboxType,
  attempt: Pick<AttemptRow, 'providerOrderNo' | 'amountMinor'>,
  extra: { refundedMinor?: number } = {},
): string {
  return JSON.stringify({
    type,
    data: {
      sessionId: `ses_${attempt.providerOrderNo}`,
      orderNo: attempt.providerOrderNo,
      amountMinor: attempt.amountMinor,
      currency: 'AMD',
      ...(extra.refundedMinor !== undefined ? { refundedMinor: extra.refundedMinor } : {}),
    },
  });
}

/** POSTs a notification signed the Standard Webhooks way, as the sandbox gateway would (timestamp from the shared clock). */
export function sendSandbox(
  baseUrl: string,
  accountId: number,
  body: string,
  id: string,
  timestampSec: number,
  secret = SANDBOX_SECRET,
): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/sandbox/${accountId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestampSec),
      'webhook-signature': signStandardWebhook(secret, id, timestampSec, body),
    },
    body,
  });
}

export function notify(f: FaultApp, accountId: number, body: string, id: string): Promise<Response> {
  return sendSandbox(f.t.url, accountId, body, id, Math.floor(f.clock.now() / 1000));
}

/** Sync jobs of an account that still have work: pending, in flight or failing. */
export async function openJobs(f: FaultApp, accountId?: number) {
  const { db } = f.t;
  return (await db.select().from(db.t.syncJobs)).filter(
    (j) =>
      (accountId === undefined || j.accountId === accountId) && (j.state === 'pending' || j.state === 'in_flight' || j.state === 'failing'),
  );
}

export async function jobStates(f: FaultApp, accountId: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const { syncJobs } = f.t.db.t;
  for (const r of await f.t.db.select({ state: syncJobs.state }).from(syncJobs).where(eq(syncJobs.accountId, accountId))) {
    out[r.state] = (out[r.state] ?? 0) + 1;
  }
  return out;
}

/**
 * Worker passes, moving the clock to the next due job between them (never past `until`), until no
 * job of the given accounts is left or `until` is reached.
 */
export async function drain(
  f: FaultApp,
  opts: { worker?: SyncWorker; accounts?: number[]; maxPasses?: number; until?: number } = {},
): Promise<number> {
  const worker = opts.worker ?? f.t.app.services.syncWorker;
  for (let pass = 1; pass <= (opts.maxPasses ?? 60); pass++) {
    await worker.runOnce();
    const open = (await openJobs(f)).filter((j) => !opts.accounts || opts.accounts.includes(j.accountId));
    if (open.length === 0) return pass;
    if (opts.until !== undefined && f.clock.now() >= opts.until) return pass;
    const next = Math.min(...open.map((j) => (j.state === 'in_flight' ? (j.claimedUntil ?? j.nextRunAt) : j.nextRunAt)));
    const target = opts.until !== undefined ? Math.min(next, opts.until) : next;
    if (target > f.clock.now()) f.clock.set(target);
  }
  throw new Error(`sync did not become idle: ${JSON.stringify((await openJobs(f)).map((j) => [j.kind, j.state, j.lastError]))}`);
}

/**
 * How many notes on the emulated account carry the marker of each event key in `keys` (the marker is
 * derived from the key: server/sync/render/note-text.ts); a note with none of them counts under
 * '(no marker)'.
 */
export function markerCounts(emu: AmocrmEmulator, accountId: number, keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of emu.notes(accountId)) {
    const text = String(n.params.text ?? '');
    const key = keys.find((k) => text.endsWith(` ${noteMarker(k)}`)) ?? '(no marker)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function noteJobKeys(
  f: FaultApp,
  accountId: number,
  paymentId?: string,
): Promise<Array<{ key: string; leadId: number; state: string; text: string }>> {
  const { syncJobs } = f.t.db.t;
  const rows = await f.t.db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.accountId, accountId), eq(syncJobs.kind, 'note'), paymentId ? eq(syncJobs.paymentId, paymentId) : sql`1 = 1`))
    .orderBy(syncJobs.id);
  return rows.map((j) => {
    const p = JSON.parse(j.payload) as NoteJobPayload;
    return { key: p.eventKey, leadId: j.leadId, state: j.state, text: renderNoteText(p) };
  });
}

/**
 * Every note the ledger queued for the account is on its lead in the emulator exactly once, and the
 * emulator has no other notes. Returns the number of notes.
 */
export async function expectEveryNoteExactlyOnce(f: FaultApp, accountId: number): Promise<number> {
  const jobs = await noteJobKeys(f, accountId);
  const counts = markerCounts(
    f.emu,
    accountId,
    jobs.map((j) => j.key),
  );
  const wrong = jobs.filter((j) => counts.get(j.key) !== 1).map((j) => `${j.key} (${j.state}) x${counts.get(j.key) ?? 0}`);
  expect(wrong, 'notes not on the lead exactly once').to.deep.equal([]);
  const stray = [...counts.keys()].filter((k) => !jobs.some((j) => j.key === k));
  expect(stray, 'notes on the lead that no event queued').to.deep.equal([]);
  for (const j of jobs) {
    const note = f.emu.notes(accountId).find((n) => String(n.params.text).endsWith(` ${noteMarker(j.key)}`))!;
    expect(note.entity_id, `note ${j.key} on its own lead`).to.equal(j.leadId);
  }
  return jobs.length;
}

export async function openExceptions(f: FaultApp, accountId: number, kind?: string) {
  const { exceptions } = f.t.db.t;
  return (await f.t.db.select().from(exceptions).where(eq(exceptions.accountId, accountId)).orderBy(exceptions.id)).filter(
    (x) => x.resolvedAt === null && (kind === undefined || x.kind === kind),
  );
}

export async function attemptRow(f: FaultApp, id: string): Promise<AttemptRow> {
  const { attempts } = f.t.db.t;
  return (await f.t.db.select().from(attempts).where(eq(attempts.id, id)))[0];
}

/** Real milliseconds, for letting loopback traffic settle (never virtual time). */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` results of `make`, one after another (each payment opens its attempts in order). */
export async function times<T>(n: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await make());
  return out;
}
