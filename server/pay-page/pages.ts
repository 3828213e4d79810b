import { isMoneyTaken } from '../../shared/status.ts';
import type { PayPageDeps } from './deps.ts';
import type { Page } from './page-frame.ts';
import { offeredProviders, payViewOf, type PagePayment } from './payment-lookup.ts';
import { choosePage, statePage, type PageFrame } from './templates.ts';

/**
 * The page for a payment that cannot be paid now, or undefined when it can. A paid link says so
 * and opens no new session: customers paying twice is the classic failure of payment links. A
 * refunded one says the money went back (never "thank you for paying"); a cancelled one that it was
 * cancelled, not that it expired.
 */
export function closedPage(deps: PayPageDeps, frame: PageFrame, p: PagePayment): Page | undefined {
  const t = frame.t;
  const view = payViewOf(deps, p);
  if (p.status === 'refunded')
    return { status: 200, html: statePage(frame, view, { icon: '↩', cls: 'warn', title: t.refunded, hint: t.refundedHint }) };
  if (p.status === 'partially_refunded')
    return { status: 200, html: statePage(frame, view, { icon: '✓', cls: 'ok', title: t.partlyRefunded, hint: t.partlyRefundedHint }) };
  if (isMoneyTaken(p.status))
    return { status: 200, html: statePage(frame, view, { icon: '✓', cls: 'ok', title: t.alreadyPaid, hint: t.alreadyPaidHint }) };
  if (p.status === 'cancelled')
    return { status: 410, html: statePage(frame, view, { icon: '✕', cls: 'bad', title: t.cancelled, hint: t.cancelledHint }) };
  if (p.status === 'expired' || deps.clock.now() >= p.expiresAt)
    return { status: 410, html: statePage(frame, view, { icon: '⌛', cls: 'warn', title: t.expired, hint: t.expiredHint }) };
  return undefined;
}

/** An unknown or malformed link token. */
export function notFoundPage(frame: PageFrame): Page {
  return { status: 404, html: statePage(frame, null, { icon: '?', cls: 'warn', title: frame.t.notFound, hint: frame.t.notFoundHint }) };
}

/** The provider buttons, optionally with a line on top saying the chosen provider could not be used. */
export function choicePage(deps: PayPageDeps, frame: PageFrame, p: PagePayment, status = 200, providerError = false): Page {
  const notice = providerError ? { title: frame.t.providerError, hint: frame.t.providerErrorHint } : undefined;
  return { status, html: choosePage(frame, payViewOf(deps, p), offeredProviders(deps, p), p.linkToken, notice) };
}
