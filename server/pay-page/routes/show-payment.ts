import type { RequestHandler } from 'express';
import type { PayPageDeps } from '../deps.ts';
import { frameFor, sendPage } from '../page-frame.ts';
import { choicePage, closedPage, notFoundPage } from '../pages.ts';
import { paymentByToken } from '../payment-lookup.ts';

/** GET /pay/:token: what is being paid and one button per offered provider, or why it cannot be paid. */
export function showPayment(deps: PayPageDeps): RequestHandler<{ token: string }> {
  return async (req, res) => {
    const p = await paymentByToken(deps, req.params.token);
    const frame = frameFor(req, res);
    if (!p) return sendPage(res, notFoundPage(frame));
    sendPage(res, closedPage(deps, frame, p) ?? choicePage(deps, frame, p));
  };
}
