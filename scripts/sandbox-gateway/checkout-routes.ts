import type { Request, Response, Router } from 'express';
import type { SandboxEventType } from '../../server/providers/sandbox/notification-body.ts';
import { renderCheckoutPage, renderNotFoundPage } from './checkout-page.ts';
import type { GatewayContext } from './context.ts';
import { notificationBody, returnUrlFor } from './notification.ts';
import { isOnOrigin, ownOrigin } from './own-origin.ts';
import { effectiveStatus } from './session-status.ts';
import type { SandboxSession } from './session-store.ts';

/** No scripts, no external anything; forms may post back here. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** The customer-facing hosted page: GET shows it, POST pay/decline settle it, notify, and send the browser back. */
export function registerCheckoutRoutes(router: Router, ctx: GatewayContext): void {
  router.get('/checkout/:id', async (req, res) => {
    const session = await ctx.store.get(String(req.params.id));
    if (!session) return notFound(res);
    sendPage(ctx, req, res, 200, session, ctx.clock.now());
  });

  router.post('/checkout/:id/pay', (req, res) => settle(ctx, req, res, 'paid', 'payment.succeeded'));
  router.post('/checkout/:id/decline', (req, res) => settle(ctx, req, res, 'failed', 'payment.failed'));
}

async function settle(ctx: GatewayContext, req: Request, res: Response, to: 'paid' | 'failed', event: SandboxEventType): Promise<void> {
  const now = ctx.clock.now();
  let changed = false;
  const session = await ctx.store.update(String(req.params.id), (s) => {
    if (effectiveStatus(s, now) !== 'pending') return s;
    changed = true;
    return { ...s, status: to };
  });
  if (!session) return notFound(res);
  if (!changed) {
    // A second click or a reload: paid/declined sessions go back to the shop without a new
    // notification; expired/cancelled ones show why nothing happened.
    const status = effectiveStatus(session, now);
    if ((status === 'paid' || status === 'failed') && ownsUrls(ctx, req, session)) return void res.redirect(303, returnUrlFor(session));
    return sendPage(ctx, req, res, 409, session, now);
  }
  // A session stored before the gateway checked its URLs: neither post nor redirect elsewhere.
  if (!ownsUrls(ctx, req, session)) return sendPage(ctx, req, res, 409, session, now);
  ctx.logger?.info(`sandbox session ${to}`, { sessionId: session.id, accountId: session.accountId });
  // Wait for the first delivery (bounded by its timeout) so the shop usually knows before the
  // browser arrives; the return page verifies by status query anyway.
  await ctx.sender.send({
    url: session.notifyUrl,
    accountId: session.accountId,
    sessionId: session.id,
    body: notificationBody(event, session),
  });
  res.redirect(303, returnUrlFor(session));
}

function ownsUrls(ctx: GatewayContext, req: Request, session: SandboxSession): boolean {
  const origin = ownOrigin(ctx.publicUrl, req);
  return isOnOrigin(session.notifyUrl, origin) && isOnOrigin(session.returnUrl, origin);
}

function sendPage(ctx: GatewayContext, req: Request, res: Response, status: number, session: SandboxSession, now: number): void {
  const pagePath = `${req.baseUrl}/checkout/${encodeURIComponent(session.id)}`;
  res
    .status(status)
    .set(PAGE_HEADERS)
    .type('html')
    .send(
      renderCheckoutPage({
        session,
        status: effectiveStatus(session, now),
        pagePath,
        backUrl: ownsUrls(ctx, req, session) ? returnUrlFor(session) : pagePath,
      }),
    );
}

function notFound(res: Response): void {
  res.status(404).set(PAGE_HEADERS).type('html').send(renderNotFoundPage());
}
