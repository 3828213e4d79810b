import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.ts';
import { AuthorizedAjaxTokens } from './authorized-ajax.ts';
import { signDisposableToken } from './disposable-token.ts';
import { checkFieldInput } from './field-input.ts';
import { Faults } from './faults.ts';
import { InvoiceBook } from './invoices.ts';
import { IpWhitelist } from './ip-whitelist.ts';
import { fireDigitalPipeline, runBotSteps, sendWidgetRequest, type OutboundDeps } from './outbound.ts';
import { invoiceLinkOf } from './paywall-page.ts';
import { SalesbotBook } from './salesbot.ts';
import { TokenStore } from './oauth.ts';
import { RateLimiter } from './rate-limit.ts';
import { RequestLog } from './recorder.ts';
import { Responder } from './send.ts';
import { EmulatorState, type AccountState } from './state.ts';
import { Timers } from './timers.ts';
import type { AmocrmEmulator, EmulatorOptions, PaywallSetup, ReachEmulator } from './types.ts';

export type * from './types.ts';
export { seedDemoAccount } from './seed.ts';
export { WON_STATUS_ID, LOST_STATUS_ID } from './defaults.ts';

const copy = <T>(v: T): T => structuredClone(v);

function userOf(acc: AccountState, userId: number | undefined, state: EmulatorState): number {
  if (userId === undefined) return state.adminUser(acc);
  if (!acc.account.users.some((u) => u.id === userId)) {
    throw new Error(`amocrm-emulator: no user ${userId} in account ${acc.account.id}`);
  }
  return userId;
}

/**
 * Starts a loopback amoCRM. One emulator serves any number of accounts on one port; the account of
 * an API call is the one its access token was issued for.
 */
export async function startAmocrmEmulator(input: EmulatorOptions): Promise<AmocrmEmulator> {
  const options = {
    port: 0,
    rps: 7,
    blockAfterViolations: 20,
    accessTokenTtlSec: 86_400,
    maxRecordedRequests: 10_000,
    rateScope: 'account' as const,
    disposableTokens: {},
    ...input,
    now: input.now ?? (() => Date.now()),
  };
  new URL(options.redirectUri); // a bad redirect URI should fail here, not on the first disposable token
  const { now } = options;

  const state = new EmulatorState(now);
  const tokens = new TokenStore({
    clientId: options.clientId,
    now,
    accessTokenTtlSec: options.accessTokenTtlSec,
    baseDomainOf: (id) => state.get(id)?.account.domain ?? 'amocrm.ru',
  });
  const limiter = new RateLimiter(options.rps, options.blockAfterViolations, now, options.rateScope);
  const whitelist = new IpWhitelist();
  const faults = new Faults();
  const log = new RequestLog(options.maxRecordedRequests);
  const timers = new Timers();
  const responder = new Responder(timers);
  let url = '';
  const invoices = new InvoiceBook(state);
  const bots = new SalesbotBook(state);
  const paywall: { setup?: PaywallSetup } = {};
  const outbound: OutboundDeps = { state, bots, options, url: () => url };
  // Widget requests a bot run started, answered in the background; stop() and settle() wait for them.
  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  const startBot = (accountId: number, botId: number, entityId: number, entityType: string, api: 'v2' | 'v4') => {
    bots.runs.push({ accountId, botId, entityId, entityType, at: state.nowSec(), api });
    const bot = bots.bot(accountId, botId);
    if (bot?.steps) return void runBotSteps(outbound, { accountId, botId, leadId: entityId }, track);
    if (bot?.widgetRequestUrl) track(sendWidgetRequest(outbound, accountId, { url: bot.widgetRequestUrl, leadId: entityId, botId }));
  };
  const reach = reachApi({ state, invoices, bots, paywall, outbound, inFlight, url: () => url });
  const runBot = (accountId: number, botId: number, leadId: number) => runBotSteps(outbound, { accountId, botId, leadId }, track);

  const emu: AmocrmEmulator = {
    ...reach,
    get widgetRequests() {
      return bots.widgetRequests;
    },
    get continuations() {
      return bots.continuations;
    },
    get botRuns() {
      return bots.runs;
    },
    get botMessages() {
      return bots.messages;
    },
    get botExecutions() {
      return bots.executions;
    },
    runBot,
    get url() {
      return url;
    },
    options,
    faults,
    get requests() {
      return log.entries;
    },
    clearRequests: () => log.clear(),

    addAccount: (accountInput) => copy(state.addAccount(accountInput).account),
    getAccount: (accountId) => {
      const acc = state.get(accountId);
      return acc ? copy(acc.account) : undefined;
    },
    addLead: (accountId, leadInput) => copy(state.addLead(state.require(accountId), leadInput)),
    getLead: (accountId, leadId) => {
      const lead = state.require(accountId).leads.get(leadId);
      return lead ? copy(lead) : undefined;
    },
    leadFieldValue: (accountId, leadId, codeOrId) => {
      const values = state.require(accountId).leads.get(leadId)?.custom_fields_values ?? [];
      const entry = values.find((v) => (typeof codeOrId === 'number' ? v.field_id === codeOrId : v.field_code === codeOrId));
      return entry?.values[0]?.value;
    },
    notes: (accountId, leadId) => copy(state.require(accountId).notes.filter((n) => leadId === undefined || n.entity_id === leadId)),
    tasks: (accountId) => copy(state.require(accountId).tasks),
    customFields: (accountId) => copy(state.require(accountId).fields),
    addCustomField: (accountId, fieldInput) => {
      const acc = state.require(accountId);
      const errors = checkFieldInput(acc, fieldInput, new Set());
      if (errors.length > 0) throw new Error(`amocrm-emulator: bad field: ${JSON.stringify(errors)}`);
      return copy(state.addField(acc, fieldInput));
    },

    issueAuthCode: (accountId, opts) => {
      const acc = state.require(accountId);
      return tokens.issueCode({ accountId, userId: userOf(acc, opts?.userId, state) });
    },
    issueTokens: (accountId, opts) => {
      const acc = state.require(accountId);
      return tokens.issuePair({ accountId, userId: userOf(acc, opts?.userId, state) });
    },
    authorizedAjaxToken: (accountId, opts) => {
      const acc = state.require(accountId);
      return ajaxTokens.token({ accountId, userId: userOf(acc, opts?.userId, state), isAdmin: opts?.isAdmin });
    },
    setDisposableTokens: (behaviour) => ajaxTokens.set(behaviour),
    refuseIp: (accountId) => whitelist.refuse(state.require(accountId).account.id),
    allowIp: (accountId) => whitelist.allow(accountId),
    signDisposableToken: (tokenInput) => {
      const acc = state.require(tokenInput.accountId);
      const user = acc.account.users.find((u) => u.id === tokenInput.userId);
      return signDisposableToken(tokenInput, {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        redirectUri: options.redirectUri,
        now,
        account: acc.account,
        userIsAdmin: user?.is_admin ?? false,
      });
    },
    expireAccessTokens: (accountId) => tokens.expireAccess(accountId),
    revokeTokens: (accountId) => tokens.revokeAll(accountId),
    refreshCount: (accountId) => tokens.refreshCount(accountId),
    blockAccount: (accountId) => limiter.block(accountId),
    unblockAccount: (accountId) => limiter.unblock(accountId),
    isBlocked: (accountId) => limiter.isBlocked(accountId),

    stop: () =>
      new Promise<void>((resolve, reject) => {
        inFlight.clear();
        timers.cancelAll();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };

  const ajaxTokens = new AuthorizedAjaxTokens(
    (i) => emu.signDisposableToken(i),
    () => Math.floor(now() / 1000),
    options.disposableTokens,
  );
  const app = buildApp(
    { state, tokens, responder, log, options, invoices, bots, startBot, paywall },
    { faults, limiter, whitelist, timers, emu },
  );
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return emu;
}

type ReachMethods = Omit<ReachEmulator, 'widgetRequests' | 'continuations' | 'botRuns' | 'botMessages' | 'botExecutions' | 'runBot'>;

/** The emulator's invoices, Salesbots and Digital Pipeline hooks, for tests and local mode. */
function reachApi(d: {
  state: EmulatorState;
  invoices: InvoiceBook;
  bots: SalesbotBook;
  paywall: { setup?: PaywallSetup };
  outbound: OutboundDeps;
  inFlight: Set<Promise<unknown>>;
  url: () => string;
}): ReachMethods {
  const { state, invoices } = d;
  return {
    enableInvoices: (accountId, opts) => copy(invoices.enable(state.require(accountId), opts)),
    addInvoice: (accountId, input = {}) => {
      const acc = state.require(accountId);
      return copy(invoices.addInvoice(acc, input, state.adminUser(acc)));
    },
    getInvoice: (accountId, invoiceId) => {
      const e = invoices.invoice(accountId, invoiceId);
      return e ? copy(e) : undefined;
    },
    invoiceFieldValue: (accountId, invoiceId, code) => {
      const e = invoices.invoice(accountId, invoiceId);
      return e ? invoices.fieldValue(e, code) : undefined;
    },
    deleteInvoice: (accountId, invoiceId) => invoices.deleteInvoice(accountId, invoiceId),
    setPaywall: (setup) => {
      d.paywall.setup = structuredClone(setup);
    },
    invoiceLink: (accountId, invoiceId) => invoiceLinkOf(d.url(), accountId, invoiceId),
    addSalesbot: (accountId, input) => copy(d.bots.addBot(accountId, input)),
    sendWidgetRequest: (accountId, input) => sendWidgetRequest(d.outbound, accountId, input),
    settle: async () => {
      while (d.inFlight.size > 0) await Promise.allSettled([...d.inFlight]);
    },
    fireDigitalPipeline: (accountId, input) => fireDigitalPipeline(d.outbound, accountId, input),
  };
}
