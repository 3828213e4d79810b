import { AppError } from '../errors/app-error.ts';
import type { ProviderName, ProviderRole } from './provider.ts';
import { snippet } from './transport/snippet.ts';

/**
 * The provider answered, and the answer was an error (bad credentials, unknown order, refused
 * refund), or we refused to call it. Every code starts with the provider's name: `arca_bad_response`.
 * The message and details are ours alone and may reach the widget; what the provider said (its
 * body, its error message) goes in `providerSaid`, which is logged and never answered to anyone.
 */
export class ProviderError extends AppError {
  readonly provider: ProviderName;
  /** The provider's own words, flattened and cut: for the server log only. */
  readonly providerSaid?: string;
  constructor(provider: ProviderName, code: string, message: string, details?: unknown, opts: { said?: string } = {}) {
    super(code, 502, `${provider}: ${message}`, details);
    this.name = 'ProviderError';
    this.provider = provider;
    if (opts.said !== undefined) this.providerSaid = snippet(opts.said);
  }
}

/** What the provider said behind an error, for a log line; undefined when nothing. */
export function providerSaidOf(err: unknown): string | undefined {
  return err instanceof ProviderError ? err.providerSaid : undefined;
}

/**
 * The request surely never left us (DNS, refused connection, connect timeout, TLS certificate):
 * nothing happened at the provider, so the caller may report "not done" and try again later.
 * Code `<provider>_unreachable`.
 */
export class ProviderUnreachableError extends ProviderError {
  readonly networkCode: string;
  constructor(provider: ProviderName, networkCode: string, message: string) {
    super(provider, `${provider}_unreachable`, message, { networkCode });
    this.name = 'ProviderUnreachableError';
    this.networkCode = networkCode;
  }
}

/**
 * The request may have arrived but no answer did (read timeout, connection lost mid-request): the
 * outcome is unknown and only a status query may settle it. Never retried. Code `<provider>_timeout`.
 */
export class ProviderTimeoutError extends ProviderError {
  constructor(provider: ProviderName, message: string) {
    super(provider, `${provider}_timeout`, message);
    this.name = 'ProviderTimeoutError';
  }
}

/**
 * A role the provider does not offer (its caps say so): Idram has no status, refund or cancel API.
 * Thrown before any request is made. Code `<provider>_not_supported`.
 */
export class ProviderUnsupportedError extends ProviderError {
  readonly role: ProviderRole;
  constructor(provider: ProviderName, role: ProviderRole, instead: string) {
    super(provider, `${provider}_not_supported`, `${LABELS[provider]} has no ${ROLE_WORDS[role]} API: ${instead}`, { role });
    this.name = 'ProviderUnsupportedError';
    this.role = role;
  }
}

const ROLE_WORDS: Record<ProviderRole, string> = { queryStatus: 'status query', refund: 'refund', cancel: 'cancel' };
const LABELS: Record<ProviderName, string> = {
  ameriabank: 'Ameriabank',
  arca: 'The payment gateway',
  idram: 'Idram',
  telcell: 'Telcell',
  sandbox: 'The sandbox gateway',
};

/**
 * An inbound request we refuse: malformed (400) or failing verification (401).
 * Nothing is stored for it; the provider's replyFor decides the wire form (Idram wants 200 + reason).
 */
export class InboundRejectedError extends AppError {
  constructor(code: string, status: 400 | 401 | 404, message: string) {
    super(code, status, message);
    this.name = 'InboundRejectedError';
  }
}
