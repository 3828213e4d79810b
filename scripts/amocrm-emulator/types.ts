/**
 * The emulator's public types. Entities are shaped like amoCRM's API v4 JSON (snake_case), so what
 * a test reads from `getLead` is what the server would read from `GET /api/v4/leads/:id`.
 */

export interface EmulatorOptions {
  /** 0 = a random free port (default). */
  port?: number;
  /** The integration id (`client_id`, `client_uuid` in disposable tokens). */
  clientId: string;
  clientSecret: string;
  /** As registered with the integration; the `aud` of disposable tokens is its origin. */
  redirectUri: string;
  /** Enforced limit: requests per rolling second per account (default 7). `Infinity` turns it off. */
  rps?: number;
  /** 429s within 60 s after which the account is blocked with 403 (default 20). */
  blockAfterViolations?: number;
  /**
   * What the limit and the block apply to: `account` (amoCRM, default) or `ip` (Kommo: every account
   * on this emulator shares one budget, and a block stops them all).
   */
  rateScope?: 'account' | 'ip';
  /** What `$authorizedAjax` does (the debug route and `authorizedAjaxToken`); default: a new token per call, with is_admin. */
  disposableTokens?: Partial<DisposableTokenBehaviour>;
  /** Injectable clock in ms: token expiry, code TTL, rate windows, timestamps (default Date.now). */
  now?: () => number;
  /** Access token lifetime (default 86400, like amoCRM). */
  accessTokenTtlSec?: number;
  /** Recorded requests kept, oldest dropped first (default 10000; 0 records nothing). */
  maxRecordedRequests?: number;
}

export type AmoDomain = 'amocrm.ru' | 'kommo.com';

export interface EmuUser {
  id: number;
  name: string;
  email: string;
  is_admin: boolean;
  /** The interface language amoCRM reports for the user (`GET /api/v4/users`, `lang`). */
  lang: string;
}

export interface EmuStatus {
  id: number;
  name: string;
  sort: number;
  /** 0 = regular (won 142 and lost 143 included), 1 = "unsorted" (incoming leads). */
  type: 0 | 1;
  pipeline_id: number;
  color: string;
  is_editable: boolean;
}

export interface EmuPipeline {
  id: number;
  name: string;
  sort: number;
  is_main: boolean;
  is_unsorted_on: boolean;
  is_archive: boolean;
  statuses: EmuStatus[];
}

export interface PipelineInput {
  id?: number;
  name: string;
  is_main?: boolean;
  /** Without statuses a pipeline gets the default set; won (142) and lost (143) are always added. */
  statuses?: Array<{ id?: number; name: string; sort?: number; type?: 0 | 1 }>;
}

export interface EmuTaskType {
  id: number;
  name: string;
  code: string | null;
}

export interface EmuAccount {
  id: number;
  name: string;
  subdomain: string;
  domain: AmoDomain;
  /** `{subdomain}.{domain}`: what amoCRM sends as `referer` on install. */
  referer: string;
  country: string;
  currency: string;
  created_at: number;
  users: EmuUser[];
  pipelines: EmuPipeline[];
  task_types: EmuTaskType[];
}

export interface AccountInput {
  id?: number;
  subdomain?: string;
  name?: string;
  domain?: AmoDomain;
  country?: string;
  currency?: string;
  /** The users' interface language unless a user names their own (default `en`). */
  language?: string;
  /** Default: an admin and a non-admin manager. The first admin is who authorizes by default. */
  users?: Array<{ id?: number; name: string; email?: string; is_admin?: boolean; lang?: string }>;
  /** Default: one main pipeline with the usual amoCRM statuses. */
  pipelines?: PipelineInput[];
}

export interface EmuEnum {
  id: number;
  value: string;
  sort: number;
  code: string | null;
}

export type FieldType =
  | 'text'
  | 'numeric'
  | 'checkbox'
  | 'select'
  | 'multiselect'
  | 'date'
  | 'url'
  | 'textarea'
  | 'radiobutton'
  | 'streetaddress'
  | 'smart_address'
  | 'birthday'
  | 'legal_entity'
  | 'date_time'
  | 'price'
  | 'category'
  | 'items'
  | 'tracking_data'
  | 'linked_entity'
  | 'chained_list'
  | 'monetary'
  | 'file'
  | 'payer'
  | 'supplier';

export interface EmuField {
  id: number;
  name: string;
  type: FieldType;
  account_id: number;
  code: string | null;
  sort: number;
  is_api_only: boolean;
  /** Only select, multiselect, radiobutton (and category) have enums; null otherwise, as in amoCRM. */
  enums: EmuEnum[] | null;
  group_id: string | null;
  required_statuses: unknown[];
  is_deletable: boolean;
  is_predefined: boolean;
  /** Lead fields, or the fields of a catalog (the invoices list). */
  entity_type: 'leads' | 'catalogs';
}

export interface FieldInput {
  type: FieldType;
  name: string;
  code?: string | null;
  sort?: number;
  is_api_only?: boolean;
  enums?: Array<{ value: string; sort?: number; code?: string | null }>;
}

export interface EmuFieldValueItem {
  value: unknown;
  enum_id?: number;
  enum_code?: string | null;
}

/** As amoCRM returns it: both the field id and its code, whichever the writer used. */
export interface EmuFieldValue {
  field_id: number;
  field_name: string;
  field_code: string | null;
  field_type: FieldType;
  values: EmuFieldValueItem[];
}

export interface EmuLead {
  id: number;
  name: string;
  price: number;
  responsible_user_id: number;
  group_id: number;
  status_id: number;
  pipeline_id: number;
  loss_reason_id: number | null;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closest_task_at: number | null;
  is_deleted: boolean;
  /** null when the lead has no values, as amoCRM answers. */
  custom_fields_values: EmuFieldValue[] | null;
  score: number | null;
  account_id: number;
  labor_cost: number | null;
  _embedded: { tags: unknown[]; companies: unknown[] };
}

export interface LeadInput {
  id?: number;
  name?: string;
  price?: number;
  pipelineId?: number;
  statusId?: number;
  responsibleUserId?: number;
}

export interface EmuNote {
  id: number;
  entity_id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  responsible_user_id: number;
  group_id: number;
  note_type: string;
  params: Record<string, unknown>;
  account_id: number;
}

export interface EmuTask {
  id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  responsible_user_id: number;
  group_id: number;
  entity_id: number | null;
  entity_type: string | null;
  duration: number;
  is_completed: boolean;
  task_type_id: number;
  text: string;
  result: Record<string, unknown> | unknown[];
  complete_till: number;
  account_id: number;
}

export type FaultKind = 'status' | 'delay' | 'drop' | 'failItem' | 'applyThenFail';

export interface RecordedRequest {
  /** Increasing per emulator; `GET /__emulator/requests?since=<seq>` pages with it. */
  seq: number;
  /** Start time by the emulator's clock (ms). */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, unknown>;
  /** Known from the bearer token, or from the code / refresh token on the OAuth endpoint. */
  accountId?: number;
  /** 0 when the connection was dropped by a fault. */
  status: number;
  /** Parsed JSON (or form) body, if any. */
  body?: unknown;
  /** Real wall time spent answering, including injected delays. */
  durationMs: number;
  /** Set when an injected fault shaped this answer. */
  fault?: FaultKind;
}

export interface FailItemSpec {
  /** Fail the batch item at this index. */
  index?: number;
  /** Fail every batch item this accepts (with `index`, both must hold). */
  matcher?: (item: unknown, index: number) => boolean;
  /** The validation error reported; defaults mirror amoCRM's documented example. */
  code?: string;
  path?: string;
  detail?: string;
}

export interface FaultRule {
  method?: string;
  /** Exact path (no query), or a RegExp tested against it. */
  path?: string | RegExp;
  accountId?: number;
  /** Answer this status instead of the real one. */
  status?: number;
  /** Body for `status`; default: amoCRM-like HTML for 5xx/429/403, problem JSON otherwise. */
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long first (alone: a slow but otherwise normal answer). With applyThenFail: after the write. */
  delayMs?: number;
  /** How many matching requests this fault shapes (default 1; Infinity allowed). */
  times?: number;
  /** Destroy the socket without answering. */
  dropConnection?: boolean;
  /** Answer 400 validation-errors naming just these batch items; nothing is applied. */
  failItem?: FailItemSpec;
  /** Apply the request for real, then answer `status`, drop, or hang `delayMs` first (a timeout after the write). */
  applyThenFail?: boolean;
}

export interface FaultHandle {
  /** Requests this fault has shaped so far. */
  readonly hits: number;
  readonly remaining: number;
  remove(): void;
}

export interface FaultInjector {
  add(rule: FaultRule): FaultHandle;
  clear(): void;
  /** Faults with uses left. */
  readonly pending: number;
}

/** Facts amoCRM does not document about `$authorizedAjax`'s tokens, switchable to test against either. */
export interface DisposableTokenBehaviour {
  /** Hand a user the same token until shortly before it expires, instead of a new one per call. */
  reuse: boolean;
  /** Put the `is_admin` claim in (the library reads it; the documented claim table lacks it). */
  isAdminClaim: boolean;
}

export interface DisposableTokenInput {
  accountId: number;
  userId: number;
  /** Default: the user's own is_admin (false for an unknown user). */
  isAdmin?: boolean;
  /** Merged last; a claim set to undefined is removed (for "missing claim" tests). */
  overrides?: Record<string, unknown>;
  /** Sign with another secret (default: clientSecret). */
  secret?: string;
}

export interface AmocrmEmulator extends ReachEmulator {
  /** e.g. http://127.0.0.1:54321: the server's AMOCRM_BASE_URL. */
  readonly url: string;
  readonly options: Readonly<Required<Omit<EmulatorOptions, 'now'>>> & { now: () => number };
  stop(): Promise<void>;
  addAccount(input?: AccountInput): EmuAccount;
  getAccount(accountId: number): EmuAccount | undefined;
  addLead(accountId: number, input?: LeadInput): EmuLead;
  getLead(accountId: number, leadId: number): EmuLead | undefined;
  /** The first value of a lead's field, by code or id (select: the enum value text). */
  leadFieldValue(accountId: number, leadId: number, codeOrId: string | number): unknown;
  notes(accountId: number, leadId?: number): EmuNote[];
  tasks(accountId: number): EmuTask[];
  customFields(accountId: number): EmuField[];
  addCustomField(accountId: number, input: FieldInput): EmuField;
  /** Live array of every request (except /__emulator ones), oldest first. */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  /** Single-use, 20-minute TTL. Default user: the account's first admin. */
  issueAuthCode(accountId: number, opts?: { userId?: number }): string;
  /** Skips the code exchange: a fresh token pair, as if the install already happened. */
  issueTokens(accountId: number, opts?: { userId?: number }): TokenPair;
  signDisposableToken(input: DisposableTokenInput): string;
  /** The token `$authorizedAjax` would send now for this user (default: the account's first admin), per the behaviour set. */
  authorizedAjaxToken(accountId: number, opts?: { userId?: number; isAdmin?: boolean }): string;
  /** Switches reuse and the is_admin claim for `authorizedAjaxToken` and the debug route (tokens handed out so far are forgotten). */
  setDisposableTokens(behaviour: Partial<DisposableTokenBehaviour>): void;
  /** The account's API settings refuse this caller's IP: every API call answers 403 with error code 113 until `allowIp`. */
  refuseIp(accountId: number): void;
  allowIp(accountId: number): void;
  /** The account's current access tokens answer 401 (refresh tokens still work). */
  expireAccessTokens(accountId: number): void;
  /** Access and refresh tokens all answer 401, as after the integration is disabled. */
  revokeTokens(accountId: number): void;
  readonly faults: FaultInjector;
  /** Refresh grants served (all accounts when omitted). */
  refreshCount(accountId?: number): number;
  /** With `rateScope: 'ip'`, blocks every account (the address is blocked). */
  blockAccount(accountId: number): void;
  unblockAccount(accountId: number): void;
  isBlocked(accountId: number): boolean;
}

/**
 * amoCRM's invoices list ("Счета/покупки"): a catalog of type `invoices` whose elements carry the
 * system fields found by `field_code` (https://www.amocrm.ru/developers/content/crm_platform/catalogs-api,
 * the status codes and BILL_PRICE/BILL_PAYMENT_DATE as amoCRM's official PHP library names them).
 * An account has at most one such list; an invoice may be linked to a lead (made from its card).
 */
export interface EmuCatalog {
  id: number;
  name: string;
  type: 'invoices' | 'regular' | 'products';
  sort: number;
  account_id: number;
  can_add_elements: boolean;
  can_show_in_cards: boolean;
  can_link_multiple: boolean;
  can_be_deleted: boolean;
  sdk_widget_code: string | null;
  created_at: number;
  updated_at: number;
}

export interface EmuCatalogElement {
  id: number;
  name: string;
  catalog_id: number;
  account_id: number;
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
  is_deleted: boolean;
  custom_fields_values: EmuFieldValue[] | null;
  /** The leads it is linked to (an invoice made from a lead card is linked to that lead). */
  lead_ids: number[];
}

export type BillStatus = 'created' | 'paid' | 'paid_in_advance' | 'partially_paid';

export interface InvoiceItemInput {
  description: string;
  unit_price: number;
  quantity: number;
  /** Default unit_price × quantity, as amoCRM computes it. */
  total_sum?: number;
}

export interface InvoiceInput {
  id?: number;
  name?: string;
  /** The lead it is made from (linked). */
  leadId?: number;
  /** BILL_PRICE, "the total to pay"; default the items' sum. `null` leaves the field empty. */
  price?: number | null;
  items?: InvoiceItemInput[];
  status?: BillStatus;
}

/**
 * Salesbots as far as a widget meets them (https://www.amocrm.ru/developers/content/digital_pipeline/salesbot,
 * https://developers.kommo.com/reference/salesbot-widget-block-execution-confirmation):
 * - a bot step `widget_request` POSTs `{token, data, return_url}` to the widget's server and waits
 *   until that server POSTs to `return_url` (`/api/v4/salesbot/{bot_id}/continue/{continue_id}`,
 *   admins only, once per step: a second continue finds nothing);
 * - the keys of the continue's `data` are `{{json.<key>}}` in the bot's later steps, here the
 *   message the bot sends into the lead's chat;
 * - a bot is started for a lead with `POST /api/v2/salesbot/run` (amoCRM) or `POST /api/v4/bots/{id}/run` (Kommo).
 */
export interface EmuBot {
  id: number;
  name: string;
  account_id: number;
  /** Where its dramlink step (`widget_request`) posts; absent: a bot that only sends `message`. */
  widgetRequestUrl?: string;
  /** What it sends into the lead's chat after the step, `{{json.<key>}}` filled from the continue's data. */
  message: string;
  /**
   * The bot's code, when it was built in the designer (bot-steps.ts runs it): blocks of handlers,
   * such as what a widget's onSalesbotDesignerSave returned. A bot with steps runs them instead of
   * `widgetRequestUrl` and `message`.
   */
  steps?: unknown[];
  /** The exits the widget's step declared (salesbotDesignerSettings); an `exits` handler must name one. */
  exits?: string[];
}

export interface BotInput {
  id?: number;
  name?: string;
  widgetRequestUrl?: string;
  message?: string;
  steps?: unknown[];
  exits?: string[];
}

/** One run of a bot built from steps, live: where it stands and how it ended. */
export interface EmuBotExecution {
  id: number;
  accountId: number;
  botId: number;
  leadId: number;
  /** `waiting`: for the widget's continue; `exited`: through a widget step's exit; `ended`: ran out of handlers or `stop`. */
  state: 'running' | 'waiting' | 'exited' | 'ended' | 'failed';
  /** The exit taken (`exits` handler). */
  exit?: string;
  /** The data of the last continue: `{{json.<key>}}`. */
  json: Record<string, unknown>;
  /** The widget server's answer to the last widget_request (0: none). */
  widgetRequestStatus?: number;
  continueId?: number;
  /** Why it failed. */
  error?: string;
  /** Where it stands: block and handler index. */
  block: number;
  handler: number;
}

/** One `widget_request` the emulator sent, and what became of it. */
export interface EmuWidgetRequest {
  accountId: number;
  botId: number;
  continueId: number;
  leadId: number;
  returnUrl: string;
  /** The widget server's HTTP status (0: no answer) and how long it took to answer. */
  status: number;
  durationMs: number;
  continued: boolean;
}

export interface EmuContinuation {
  accountId: number;
  botId: number;
  continueId: number;
  body: unknown;
  at: number;
}

export interface EmuBotRun {
  accountId: number;
  botId: number;
  entityId: number;
  entityType: string;
  at: number;
  api: 'v2' | 'v4';
}

export interface EmuBotMessage {
  accountId: number;
  botId: number;
  leadId: number;
  text: string;
  at: number;
}

export interface OutboundAnswer {
  status: number;
  body: string;
  durationMs: number;
}

export interface WidgetRequestInput {
  url: string;
  leadId: number;
  /** Default: a bot made for the call. */
  botId?: number;
  /** The step's `data` (default `{lead_id: "<id>"}`, what a bot's `{{lead.id}}` becomes). */
  data?: Record<string, unknown>;
  /** Default HS512, as amoCRM's PHP library verifies it. */
  alg?: 'HS512' | 'HS256';
  /** Sign with another secret (a forged request). */
  secret?: string;
  /** Send this token instead. */
  token?: string;
}

export interface DigitalPipelineInput {
  url: string;
  leadId: number;
  /** What the trigger's quick settings hold (`dp.settings`), as amoCRM sends them back. */
  settings: Record<string, string>;
  statusId?: number;
  pipelineId?: number;
  /** 14 lead_status_changed, 15 lead_appeared_in_status (default), 1 lead_added. */
  type?: number;
  /** Unix seconds of the event (default now). The same value again is the same event (a retry). */
  time?: number;
  direction?: 'went_to_trigger' | 'went_in_trigger' | 'went_from_trigger';
  /** amoCRM documents no content type; JSON (the docs' example) or form encoding. */
  format?: 'json' | 'form';
}

/**
 * A stand-in for amoCRM's public invoice page (PayWall, `invoice_link`): the invoice, its total and
 * status, and one button per payment method of the acquiring integration. A button goes to the
 * integration's registered address with `:account_id`, `:invoice_id` and `:payment_method_code`
 * filled in (https://www.amocrm.ru/developers/content/integrations/banks-and-acquiring).
 */
export interface PaywallSetup {
  /** e.g. `https://pay.example/paywall/:account_id/:invoice_id/:payment_method_code` */
  address: string;
  methods: Array<{ code: string; name: string }>;
}

/** Invoices, Salesbots and Digital Pipeline hooks: what amoCRM does with a widget beyond the lead card. */
export interface ReachEmulator {
  /** Turns the account's invoices list on ("Счета/покупки", a catalog of type invoices with its system fields). */
  enableInvoices(accountId: number, opts?: { catalogId?: number }): EmuCatalog;
  addInvoice(accountId: number, input?: InvoiceInput): EmuCatalogElement;
  getInvoice(accountId: number, invoiceId: number): EmuCatalogElement | undefined;
  /** An invoice field's first value by code (BILL_STATUS: its enum code, e.g. `paid`). */
  invoiceFieldValue(accountId: number, invoiceId: number, code: string): unknown;
  deleteInvoice(accountId: number, invoiceId: number): boolean;
  /** Registers the acquiring integration's PayWall address and methods (what the invoice page links to). */
  setPaywall(setup: PaywallSetup): void;
  /** The public invoice page's URL (`invoice_link`): the emulator's stand-in for amoCRM's PayWall. */
  invoiceLink(accountId: number, invoiceId: number): string;
  addSalesbot(accountId: number, input?: BotInput): EmuBot;
  /** A bot's `widget_request` step for a lead: POSTs `{token, data, return_url}` to `url` and waits for the answer. */
  /** `sentBody` is the exact JSON sent, for a test that posts it again as amoCRM's retry would. */
  sendWidgetRequest(
    accountId: number,
    input: WidgetRequestInput,
  ): Promise<OutboundAnswer & { continueId: number; returnUrl: string; sentBody: string }>;
  readonly widgetRequests: EmuWidgetRequest[];
  /** Continue calls received on return_url (accepted ones only). */
  readonly continuations: EmuContinuation[];
  /** Bots started through the run API. */
  readonly botRuns: EmuBotRun[];
  /** What bots sent into leads' chats after their dramlink step continued. */
  readonly botMessages: EmuBotMessage[];
  /**
   * Starts a bot built from steps (addSalesbot with `steps`) for a lead, as amoCRM runs it (bot-steps.ts):
   * the live record of the run, in `botExecutions` too; a widget_request waits for the widget's continue.
   */
  runBot(accountId: number, botId: number, leadId: number): EmuBotExecution;
  /** Runs of bots built from steps, oldest first (live records). */
  readonly botExecutions: EmuBotExecution[];
  /** Resolves when every widget_request started by a bot run has been answered. */
  settle(): Promise<void>;
  /** A Digital Pipeline widget action's hook for a lead entering its stage. */
  fireDigitalPipeline(accountId: number, input: DigitalPipelineInput): Promise<OutboundAnswer>;
}

export interface TokenPair {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string;
  server_time: number;
}
