/**
 * Typed errors with stable snake_case codes. The HTTP layer turns them into the contract's
 * envelope `{"error":{"code","message","details"}}`; the message tells the caller how to fix it.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: string, status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 400, message, details);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 404, message, details);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 409, message, details);
    this.name = 'ConflictError';
  }
}

export class AuthError extends AppError {
  constructor(code: string, message: string, status = 401, details?: unknown) {
    super(code, status, message, details);
    this.name = 'AuthError';
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 403, message, details);
    this.name = 'ForbiddenError';
  }
}

/** A dependency (amoCRM, a provider) failed in a way the caller may retry later. */
export class UpstreamError extends AppError {
  constructor(code: string, message: string, details?: unknown, status = 502) {
    super(code, status, message, details);
    this.name = 'UpstreamError';
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
