import { AppError } from '../errors/app-error.ts';

/** The provider answered, and the answer was an error (bad credentials, unknown order, refused refund). */
export class ProviderError extends AppError {
  readonly provider: string;
  constructor(provider: string, code: string, message: string, details?: unknown) {
    super(code, 502, `${provider}: ${message}`, details);
    this.name = 'ProviderError';
    this.provider = provider;
  }
}

/** No answer in time: the outcome is unknown and only a status query may settle it. */
export class ProviderTimeoutError extends ProviderError {
  constructor(provider: string, message: string) {
    super(provider, 'provider_timeout', message);
    this.name = 'ProviderTimeoutError';
  }
}

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
