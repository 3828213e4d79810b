import type { Router } from 'express';
import { ValidationError } from '../../errors/app-error.ts';
import { parseDateArg, paymentCsvLines } from '../../exports/payments-csv.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';

/** The longest range one export may cover; accountants export a month or a quarter at a time. */
const MAX_RANGE_MS = 400 * 86_400_000;

/**
 * GET /exports/payments.csv?from=YYYY-MM-DD&to=YYYY-MM-DD (admins): the reconciliation CSV of the
 * token's account. `to` given as a date includes that whole day (UTC). Defaults: the last 31 days.
 */
export function exportPaymentsRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/exports/payments.csv', deps.auth, deps.admin, async (req, res) => {
    const auth = authOf(res);
    const now = deps.services.clock.now();
    const fromText = typeof req.query.from === 'string' ? req.query.from : undefined;
    const toText = typeof req.query.to === 'string' ? req.query.to : undefined;
    const from = fromText === undefined ? now - 31 * 86_400_000 : parseDateArg(fromText);
    const toStart = toText === undefined ? now + 1 : parseDateArg(toText);
    if (from === undefined) throw new ValidationError('invalid_from', 'from must be a date such as 2026-11-01');
    if (toStart === undefined) throw new ValidationError('invalid_to', 'to must be a date such as 2026-11-30');
    const to = toText?.length === 10 ? toStart + 86_400_000 : toStart;
    if (to <= from) throw new ValidationError('invalid_range', 'to must not be before from');
    if (to - from > MAX_RANGE_MS) throw new ValidationError('range_too_long', 'Export at most 400 days at a time.');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="dramlink-payments-${auth.accountId}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    for await (const line of paymentCsvLines(deps.services.store, { accountId: auth.accountId, from, to })) res.write(`${line}\r\n`);
    res.end();
  });
}
