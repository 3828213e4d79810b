import type { Request } from 'express';
import type { z } from 'zod';
import { AppError, ValidationError } from '../errors/app-error.ts';

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** zod issues → one line per field; an unknown key is named as the field it is. */
export function issuesOf(error: z.ZodError): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          field: fieldPath([...issue.path, key]),
          code: 'unknown_field',
          message: `"${fieldPath([...issue.path, key])}" is not a field of this request`,
        });
      }
    } else {
      const field = fieldPath(issue.path) || '(body)';
      out.push({ field, code: issue.code, message: `${field}: ${issue.message}` });
    }
  }
  return out;
}

/**
 * The body parsed by its strict schema in shared/api.ts, or 400 `invalid_body` naming every bad field
 * (`details.fields`). An empty body counts as `{}` (the widget may send none for POSTs without one).
 */
export function parseBody<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  if (req.body === undefined && hasBody(req)) {
    throw new AppError('unsupported_media_type', 415, 'Send the body as JSON with Content-Type: application/json.');
  }
  const body: unknown =
    req.body === undefined ||
    (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) && Object.keys(req.body).length === 0)
      ? {}
      : req.body;
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = issuesOf(parsed.error);
  throw new ValidationError('invalid_body', fields.map((f) => f.message).join('; '), { fields });
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** A positive integer path parameter (lead ids). */
export function intParam(req: Request, name: string, code: string): number {
  const raw = req.params[name];
  if (typeof raw !== 'string' || !/^[1-9]\d{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new ValidationError(code, `${name} must be a positive whole number; got ${JSON.stringify(raw ?? null)}`);
  }
  return Number(raw);
}

/** A payment id path parameter as given: an id that is not this account's payment is a 404 `payment_not_found` at lookup. */
export function idParam(req: Request, name: string): string {
  const raw = req.params[name];
  return typeof raw === 'string' ? raw : '';
}
