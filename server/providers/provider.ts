import type { z } from 'zod';
import type { Currency } from '../../shared/money.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpClient } from '../platform/http-client.ts';
import type { OutboundPolicy } from './transport/outbound-targets.ts';

/**
 * The one shape every payment provider adapter has. Adapters translate; they never touch the
 * database. The ledger decides what a fact means: it checks order number, amount and currency
 * against the attempt before anything becomes paid (docs/architecture.md, Status rules).
 *
 * Every provider folder follows one file plan; a file exists only when the provider has the role:
 *   index.ts            the provider object only (defineProvider: caps + wiring, no logic)
 *   credentials.ts      zod schema of the settings, the type, the secret field names
 *   order-number.ts     orderNo(): our order number in the provider's format
 *   endpoints.ts        hosts, paths and URL builders
 *   api-call.ts         one call to the provider's API over transport/ (auth, body decoding)
 *   create-session.ts   createSession(): where the customer's browser goes to pay
 *   verify-inbound.ts   verifyInbound(): authenticity over the raw request, constant-time
 *   parse-inbound.ts    parseInbound(): the verified request → ParsedInbound
 *   query-status.ts     queryStatus(): the status call
 *   status-map.ts       the provider's status words → ProviderFact (pure)
 *   refund.ts           refund(): money-moving, called once
 *   cancel.ts           cancel(): money-moving, called once
 *   money-moving.ts     what refund and cancel need from the attempt (the provider's payment id)
 *   reply.ts            replyFor(): the answer in the form the provider expects
 * Provider-specific helpers keep plain names (checksum.ts, fields.ts, inbound-params.ts, base64.ts).
 * A role the provider lacks is declared absent in its caps and answered by ProviderUnsupportedError
 * (defineProvider wires it); no adapter writes its own "not supported" code. Every HTTP call goes
 * through transport/ (postOnce/getOnce): never retried, `<provider>_unreachable` when nothing was
 * sent, ProviderTimeoutError when the outcome is unknown. A new provider is one folder in this plan,
 * one line in registry.ts and one kit in the conformance table (test/server/providers/).
 */
export type ProviderName = 'ameriabank' | 'arca' | 'idram' | 'telcell' | 'sandbox';
export const PROVIDER_NAMES: ProviderName[] = ['ameriabank', 'arca', 'idram', 'telcell', 'sandbox'];

export type Language = 'hy' | 'ru' | 'en';

/** The roles a provider may lack; each is declared in ProviderCapabilities. */
export type ProviderRole = 'queryStatus' | 'refund' | 'cancel';

/** What the server decides from, per provider; every flag here is read by the server. */
export interface ProviderCapabilities {
  /** false when the provider has no status API (Idram): only signed notifications can settle. */
  statusQuery: boolean;
  /** 'full': only the whole payment can be refunded; 'none': refund in the provider's cabinet. */
  refund: 'none' | 'full' | 'partial';
  /** Void of an unpaid or unsettled payment through the API. */
  cancel: boolean;
  /** How long a provider session stays payable; a pending attempt inside it is reused. */
  sessionTtlSec: number;
  /** The currencies a payment may use with this provider; createSession refuses any other. */
  currencies: Currency[];
}

/** Everything an adapter may use for one account's call. Credentials are already decrypted and validated. */
export interface ProviderContext<Creds = Record<string, unknown>> {
  accountId: number;
  mode: 'test' | 'live';
  credentials: Creds;
  /** Overrides the provider host (tests, other BPC banks). No trailing slash. */
  baseUrl?: string;
  http: HttpClient;
  /** Where calls may go (transport/outbound-policy.ts); absent: the official hosts only. */
  outbound?: OutboundPolicy;
  clock: Clock;
  /** PUBLIC_URL of this server, no trailing slash. */
  publicUrl: string;
}

/** What the adapter knows about our side of one attempt. */
export interface AttemptRef {
  attemptId: string;
  providerOrderNo: string;
  providerPaymentId?: string | null;
  amountMinor: number;
  currency: Currency;
}

export interface CreateSessionInput {
  attempt: AttemptRef;
  description: string;
  language: Language;
  /** Where the customer's browser comes back to (GET /pay/:token/return). */
  returnUrl: string;
  /** Same page; some providers want a separate failure URL. */
  failUrl: string;
  /** /webhooks/:provider/:accountId on this server. */
  notifyUrl: string;
  ttlSec: number;
}

export type Redirect = { method: 'GET'; url: string } | { method: 'POST'; url: string; form: Record<string, string> };

export interface CreateSessionResult {
  providerPaymentId?: string;
  redirect: Redirect;
  /** epoch ms after which the provider session can no longer be paid. */
  sessionExpiresAt: number;
}

/**
 * A normalized statement about an attempt's money. From a notification it is a claim, trusted only
 * when authenticated; from a status query it is the provider's answer to us.
 */
export interface ProviderFact {
  status: 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled' | 'unknown';
  /** Amount the provider says was paid/approved, in our minor units. */
  amountMinor?: number;
  currency?: Currency;
  /**
   * The provider named a currency we do not recognise (raw text). Not the same as not naming one:
   * the ledger treats it as a currency mismatch, never as paid.
   */
  unrecognizedCurrency?: string;
  /** Cumulative amount refunded so far according to the provider (minor units). */
  refundedTotalMinor?: number;
  /** Order number as the provider reports it: must equal ours. */
  providerOrderNo?: string;
  providerPaymentId?: string;
  /** The provider's own status words, kept for support. */
  rawStatus: string;
  /** epoch ms, when the provider says it happened (if it says). */
  occurredAt?: number;
  /**
   * With status 'unknown': the answer means money may be held or taken in a way we cannot settle
   * automatically (funds only held on a one-stage setup, an undocumented status), so a person must look.
   */
  needsPerson?: boolean;
}

export interface InboundRequest {
  method: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Exact bytes received: signatures are verified over these before any parsing. */
  rawBody: Buffer;
  receivedAt: number;
}

/** What verifyInbound proved about a request, before anything reads its meaning. */
export interface InboundVerification {
  /** true only when a signature/checksum over the received data matched (constant-time compare). */
  authenticated: boolean;
}

/** What parseInbound reads from a verified request; authenticated comes from the verification only. */
export interface InboundReading {
  /** precheck: Idram asks whether a bill may be paid; return: a browser came back. */
  kind: 'notification' | 'precheck' | 'return';
  /** Unique per provider event; duplicates of one notification share it. */
  dedupeKey: string;
  ref: { providerOrderNo?: string; providerPaymentId?: string };
  /** From an unauthenticated request a fact is at most a claim (Idram's precheck amount), never proof. */
  fact?: ProviderFact;
}

/** An inbound request verified, then read. */
export interface ParsedInbound extends InboundReading {
  /** true only when a signature/checksum over the received data was verified. */
  authenticated: boolean;
}

export type InboundOutcome = { kind: 'accepted' } | { kind: 'rejected'; status: number; code: string; reason: string };

export interface HttpReply {
  status: number;
  contentType: string;
  body: string;
}

/** `message` is ours (it may reach the widget); `providerSaid` is the provider's own words, logged only. */
export type RefundResult = {
  state: 'succeeded' | 'pending' | 'failed';
  providerRefundId?: string;
  message?: string;
  providerSaid?: string;
};
export type CancelResult = { state: 'succeeded' | 'failed'; message?: string; providerSaid?: string };

export interface PaymentProvider<Creds = Record<string, unknown>> {
  readonly name: ProviderName;
  readonly caps: ProviderCapabilities;
  /** Strict schema of Settings.providers.<name> credentials and options (not enabled/mode/baseUrl). */
  readonly credentialsSchema: z.ZodType<Creds>;
  /** Credential keys that are secret: stored encrypted, masked on read, never logged. */
  readonly secretFields: readonly string[];

  /**
   * A fresh provider order number for an attempt. `counter` is a per-account-per-provider
   * sequence allocated by the ledger (1, 2, 3…). Throws ProviderError when it cannot (test range used up).
   */
  orderNo(input: { counter: number; attemptId: string; mode: 'test' | 'live'; credentials: Creds }): string;

  /** Refuses a currency outside caps.currencies (`<provider>_currency_not_supported`) before any request. */
  createSession(ctx: ProviderContext<Creds>, input: CreateSessionInput): Promise<CreateSessionResult>;

  /**
   * Step 1 for every inbound request: authenticity over the raw request (body bytes, query, headers)
   * before anything reads its meaning. A signed kind whose signature or checksum does not match
   * throws InboundRejectedError (nothing is stored then); an unsigned kind (browser return, precheck,
   * callback without a configured key) passes as not authenticated.
   */
  verifyInbound(ctx: ProviderContext<Creds>, req: InboundRequest): InboundVerification;

  /**
   * Step 2: the verified request → what it says. Throws InboundRejectedError for malformed input.
   * A claim from an unauthenticated request never carries a fact that could settle money.
   */
  parseInbound(ctx: ProviderContext<Creds>, req: InboundRequest, verification: InboundVerification): InboundReading;

  /** The answer in the form this provider expects (Idram: "OK" or a reason, always 200). */
  replyFor(outcome: InboundOutcome, parsed?: ParsedInbound): HttpReply;

  /** Server-side status query. ProviderUnsupportedError when caps.statusQuery is false. */
  queryStatus(ctx: ProviderContext<Creds>, attempt: AttemptRef): Promise<ProviderFact>;

  /**
   * Money-moving: called once, never retried automatically. A timeout throws ProviderTimeoutError.
   * ProviderUnsupportedError when caps.refund is 'none'.
   */
  refund(ctx: ProviderContext<Creds>, attempt: AttemptRef, amountMinor: number, opts: { refundId: string }): Promise<RefundResult>;

  /**
   * Void/reverse an unsettled payment. Money-moving: never retried automatically.
   * ProviderUnsupportedError when caps.cancel is false.
   */
  cancel(ctx: ProviderContext<Creds>, attempt: AttemptRef): Promise<CancelResult>;
}
