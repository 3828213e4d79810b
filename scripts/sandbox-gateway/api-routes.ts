import express, { type Request, type Response, type Router } from 'express';
import { randomToken } from '../../server/crypto/hmac.ts';
import { isAuthorized } from './api-auth.ts';
import type { GatewayContext } from './context.ts';
import { sendError } from './errors.ts';
import { notificationBody } from './notification.ts';
import { accountIdFromNotifyUrl } from './notify-url.ts';
import { isOnOrigin, ownOrigin } from './own-origin.ts';
import { createSessionBodySchema, describeIssues, refundBodySchema } from './request-schemas.ts';
import { sessionJson } from './session-json.ts';
import { effectiveStatus } from './session-status.ts';
import type { SandboxRefund, SandboxSession } from './session-store.ts';

/**
 * The merchant API (what the adapter calls) under /api: create, status, refund, cancel.
 * Bearer-authenticated. Registered on the gateway's own router so req.baseUrl is the mount path.
 */
export function registerApiRoutes(router: Router, ctx: GatewayContext): void {
  router.use('/api', express.json({ limit: '16kb' }));

  router.post('/api/sessions', async (req, res) => {
    const parsed = createSessionBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, 400, 'sandbox_bad_request', describeIssues(parsed.error));
    const body = parsed.data;
    const accountId = accountIdFromNotifyUrl(body.notifyUrl);
    if (!accountId) {
      return sendError(res, 400, 'sandbox_bad_notify_url', 'notifyUrl must be {PUBLIC_URL}/webhooks/sandbox/:accountId');
    }
    const own = ownOrigin(ctx.publicUrl, req);
    if (!isOnOrigin(body.notifyUrl, own) || !isOnOrigin(body.returnUrl, own)) {
      return sendError(res, 400, 'sandbox_foreign_url', 'notifyUrl and returnUrl must be on this server (PUBLIC_URL)');
    }
    if (!(await isAuthorized(req.get('authorization'), accountId, ctx.secretFor))) {
      return unauthorized(res);
    }
    const now = ctx.clock.now();
    const session: SandboxSession = {
      id: `ses_${randomToken(18)}`,
      accountId,
      orderNo: body.orderNo,
      amountMinor: body.amountMinor,
      currency: body.currency,
      description: body.description,
      returnUrl: body.returnUrl,
      notifyUrl: body.notifyUrl,
      status: 'pending',
      refundedMinor: 0,
      refunds: [],
      createdAt: now,
      expiresAt: now + body.ttlSec * 1000,
    };
    await ctx.store.create(session);
    ctx.logger?.info('sandbox session created', { sessionId: session.id, accountId, orderNo: session.orderNo });
    const origin = ctx.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`;
    res
      .status(201)
      .json({ sessionId: session.id, checkoutUrl: `${origin}${req.baseUrl}/checkout/${session.id}`, expiresAt: session.expiresAt });
  });

  router.get('/api/sessions/:id', async (req, res) => {
    const session = await authorizedSession(ctx, req, res);
    if (!session) return;
    res.json(sessionJson(session, ctx.clock.now()));
  });

  router.post('/api/sessions/:id/refunds', async (req, res) => {
    const session = await authorizedSession(ctx, req, res);
    if (!session) return;
    const parsed = refundBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, 400, 'sandbox_bad_request', describeIssues(parsed.error));
    const { amountMinor, refundId } = parsed.data;
    const now = ctx.clock.now();
    let outcome = undefined as
      | { kind: 'created' | 'repeated'; refund: SandboxRefund }
      | { kind: 'refused'; status: number; code: string; message: string }
      | undefined;
    const updated = await ctx.store.update(session.id, (s) => {
      const existing = s.refunds.find((r) => r.refundId === refundId);
      if (existing) {
        outcome =
          existing.amountMinor === amountMinor
            ? { kind: 'repeated', refund: existing }
            : {
                kind: 'refused',
                status: 409,
                code: 'sandbox_refund_id_reused',
                message: `refundId ${refundId} was used for ${existing.amountMinor}, not ${amountMinor}`,
              };
        return s;
      }
      if (effectiveStatus(s, now) !== 'paid') {
        outcome = {
          kind: 'refused',
          status: 409,
          code: 'sandbox_not_paid',
          message: `session is ${effectiveStatus(s, now)}: only a paid session can be refunded`,
        };
        return s;
      }
      const refundable = s.amountMinor - s.refundedMinor;
      if (amountMinor > refundable) {
        outcome = {
          kind: 'refused',
          status: 422,
          code: 'sandbox_refund_exceeds',
          message: `refund ${amountMinor} exceeds the refundable ${refundable}`,
        };
        return s;
      }
      const refund: SandboxRefund = { refundId, amountMinor, createdAt: now };
      outcome = { kind: 'created', refund };
      return { ...s, refunds: [...s.refunds, refund], refundedMinor: s.refundedMinor + amountMinor };
    });
    if (!updated || !outcome) return sendError(res, 404, 'sandbox_session_not_found', `no sandbox session ${session.id}`);
    if (outcome.kind === 'refused') return sendError(res, outcome.status, outcome.code, outcome.message);
    res.status(outcome.kind === 'created' ? 201 : 200).json({
      refundId: outcome.refund.refundId,
      state: 'succeeded',
      amountMinor: outcome.refund.amountMinor,
      refundedMinor: updated.refundedMinor,
    });
    if (outcome.kind === 'created' && isOnOrigin(updated.notifyUrl, ownOrigin(ctx.publicUrl, req))) {
      // After answering: the caller may hold a lock on this payment while it waits for us.
      void ctx.sender.send({
        url: updated.notifyUrl,
        accountId: updated.accountId,
        sessionId: updated.id,
        body: notificationBody('payment.refunded', updated),
      });
    }
  });

  router.post('/api/sessions/:id/cancel', async (req, res) => {
    const session = await authorizedSession(ctx, req, res);
    if (!session) return;
    const now = ctx.clock.now();
    let refusedAs = undefined as string | undefined;
    const updated = await ctx.store.update(session.id, (s) => {
      const status = effectiveStatus(s, now);
      if (status === 'paid') {
        refusedAs = status;
        return s;
      }
      // Failed, expired and cancelled sessions have nothing to cancel: succeed without a change.
      return status === 'pending' ? { ...s, status: 'cancelled' } : s;
    });
    if (!updated) return sendError(res, 404, 'sandbox_session_not_found', `no sandbox session ${session.id}`);
    if (refusedAs) return sendError(res, 409, 'sandbox_already_paid', 'the session is paid: refund it instead of cancelling');
    res.json({ sessionId: updated.id, status: effectiveStatus(updated, now) });
  });
}

async function authorizedSession(ctx: GatewayContext, req: Request, res: Response): Promise<SandboxSession | undefined> {
  const id = String(req.params.id);
  const session = await ctx.store.get(id);
  if (!session) {
    sendError(res, 404, 'sandbox_session_not_found', `no sandbox session ${id}`);
    return undefined;
  }
  if (!(await isAuthorized(req.get('authorization'), session.accountId, ctx.secretFor))) {
    unauthorized(res);
    return undefined;
  }
  return session;
}

function unauthorized(res: Response): void {
  sendError(
    res,
    401,
    'sandbox_unauthorized',
    'Authorization must be "Bearer " + sandboxApiKey(webhookSecret, accountId) of the account in notifyUrl',
  );
}
