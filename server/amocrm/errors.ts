import { AppError } from '../errors/app-error.ts';

/** Stable codes of what went wrong talking to amoCRM; the sync worker and routes branch on them. */
export type AmocrmErrorCode =
  /** No HTTP answer: refused, reset, DNS. */
  | 'amocrm_unreachable'
  /** No answer within the read timeout (the request may have been applied). */
  | 'amocrm_timeout'
  /** 5xx. */
  | 'amocrm_server_error'
  /** 429: over the request budget; retried after a back-off. */
  | 'amocrm_rate_limited'
  /** 400: the request (or one batch item) was rejected; never retried as is. */
  | 'amocrm_validation_failed'
  /** 402: the account's plan does not allow the call. */
  | 'amocrm_payment_required'
  /** 404. */
  | 'amocrm_not_found'
  /** 401 again right after a refresh. */
  | 'amocrm_unauthorized'
  /** 403 block page, or the account is cooling down after one: no call is made. */
  | 'amocrm_account_blocked'
  /** 403 with a rights error: the token's user may not make this call (e.g. a non-admin reading users). No block. */
  | 'amocrm_forbidden'
  /** 403 naming this server's IP (code 113): the account's API settings whitelist addresses. Calls stop like a block. */
  | 'amocrm_ip_not_allowed'
  /** The refresh token was refused: an admin must install the integration again. */
  | 'amocrm_needs_reconnect'
  /** The account is not installed, was disconnected, or has no tokens. */
  | 'amocrm_not_connected'
  /** Another process is refreshing this account's tokens and did not finish in time. */
  | 'amocrm_refresh_busy'
  /** Another instance is creating this account's lead fields and did not finish in time. */
  | 'amocrm_lead_fields_busy'
  /** Any other 4xx. */
  | 'amocrm_client_error'
  /** A 2xx whose body is not the JSON we expected. */
  | 'amocrm_bad_response';

/** One item error of amoCRM's documented 400 `validation-errors`. */
export interface AmocrmValidationError {
  request_id?: string;
  errors?: Array<{ code?: string; path?: string; detail?: string }>;
}

export interface AmocrmErrorInit {
  httpStatus?: number;
  /** The request may have been applied even though no success answer arrived (timeout, 5xx, reset). */
  ambiguous?: boolean;
  /** A retry later can succeed (network, 5xx, 429, refresh busy). */
  retryable?: boolean;
  retryAfterMs?: number;
  validationErrors?: AmocrmValidationError[];
  /** The first bytes of amoCRM's answer, for the dead letter and logs (never tokens). */
  body?: string;
  /** Set when the account is blocked: no call before this time. */
  blockedUntil?: number;
}

const HTTP_STATUS: Record<AmocrmErrorCode, number> = {
  amocrm_unreachable: 502,
  amocrm_timeout: 504,
  amocrm_server_error: 502,
  amocrm_rate_limited: 503,
  amocrm_validation_failed: 502,
  amocrm_payment_required: 502,
  amocrm_not_found: 502,
  amocrm_unauthorized: 502,
  amocrm_account_blocked: 503,
  amocrm_forbidden: 502,
  amocrm_ip_not_allowed: 503,
  amocrm_needs_reconnect: 409,
  amocrm_not_connected: 409,
  amocrm_refresh_busy: 503,
  amocrm_lead_fields_busy: 503,
  amocrm_client_error: 502,
  amocrm_bad_response: 502,
};

/** Stops every further call for the account until a person acts or a cool-down ends. */
export const ACCOUNT_LEVEL_CODES: ReadonlySet<AmocrmErrorCode> = new Set([
  'amocrm_account_blocked',
  'amocrm_ip_not_allowed',
  'amocrm_needs_reconnect',
  'amocrm_not_connected',
]);

export class AmocrmError extends AppError {
  declare readonly code: AmocrmErrorCode;
  readonly httpStatus?: number;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly validationErrors?: AmocrmValidationError[];
  readonly body?: string;
  readonly blockedUntil?: number;
  constructor(code: AmocrmErrorCode, message: string, init: AmocrmErrorInit = {}) {
    super(code, HTTP_STATUS[code], message, init.validationErrors ? { validationErrors: init.validationErrors } : undefined);
    this.name = 'AmocrmError';
    this.httpStatus = init.httpStatus;
    this.ambiguous = init.ambiguous ?? false;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.validationErrors = init.validationErrors;
    this.body = init.body;
    this.blockedUntil = init.blockedUntil;
  }

  get accountLevel(): boolean {
    return ACCOUNT_LEVEL_CODES.has(this.code);
  }
}

export function isAmocrmError(err: unknown): err is AmocrmError {
  return err instanceof AmocrmError;
}

/** A short, log-safe description of amoCRM's validation errors: "0: custom_fields_values.0.field_id NotSupportedChoice (…)". */
export function describeValidationErrors(errors: AmocrmValidationError[] | undefined): string {
  if (!errors?.length) return '';
  return errors
    .flatMap((item) =>
      (item.errors ?? []).map((e) =>
        `${item.request_id ?? '?'}: ${e.path ?? ''} ${e.code ?? ''}${e.detail ? ` (${e.detail})` : ''}`.trim(),
      ),
    )
    .join('; ');
}
