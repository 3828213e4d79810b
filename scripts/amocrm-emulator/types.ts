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
  entity_type: 'leads';
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

export interface AmocrmEmulator {
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

export interface TokenPair {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string;
  server_time: number;
}
