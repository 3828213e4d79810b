import type { Response } from 'express';

/** The contract's error envelope, used by the gateway's merchant API. */
export function sendError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  res.status(status).json({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
}
