import { Router, type Response } from 'express';
import { findAccount } from '../../accounts/account-store.ts';
import type { AmocrmServices } from '../../amocrm/index.ts';
import type { Store } from '../../db/store.ts';
import { stripBidiControls } from '../../../shared/text.ts';
import { isAppError } from '../../errors/app-error.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Clock } from '../../platform/clock.ts';
import { connectedLink, verifyConnectedLink } from '../connected-link.ts';
import type { StrangerLimits } from '../stranger-limits.ts';

function escapeHtml(text: string): string {
  return stripBidiControls(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A short self-contained page (no external assets: it may open in amoCRM's install popup). */
function page(res: Response, status: number, title: string, lines: string[]): void {
  res
    .status(status)
    .type('html')
    .set('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#222}` +
        `h1{font-size:1.4rem}</style></head><body><h1>${escapeHtml(title)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`,
    );
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** GET /oauth/callback: the install (docs/architecture.md, Flows 1 Install), then a "connected" page or why it failed. */
function installRoute(router: Router, deps: OAuthRouteDeps): void {
  router.get('/oauth/callback', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    // Every callback costs a call to amoCRM: a client past its budget is told to wait.
    if (deps.limits && !deps.limits.admit(req.ip)) {
      res.set('Retry-After', String(deps.limits.retryAfterSec()));
      return page(res, 429, 'Too many attempts', ['Wait a minute, then install the integration again from amoCRM.']);
    }
    try {
      const result = await deps.amocrm.install({
        code: text(q.code),
        referer: text(q.referer),
        state: text(q.state),
        fromWidget: text(q.from_widget),
        platform: text(q.platform),
        error: text(q.error),
      });
      res.redirect(303, connectedLink(deps.linkKey, result.accountId, deps.clock.now()));
    } catch (err) {
      const known = isAppError(err);
      if (!known) deps.logger.error('amocrm install failed', { referer: text(q.referer), fromWidget: text(q.from_widget), error: err });
      const status = known ? err.status : 500;
      page(res, status >= 400 ? status : 500, 'dramlink was not connected', [
        known ? err.message : 'Something went wrong on our side while connecting dramlink.',
        'Nothing was charged and no payment data was touched. Install the integration again from amoCRM; if it keeps failing, contact support with the time of this attempt.',
      ]);
    }
  });
}

/**
 * The page after an install. It names the account only for the signed, short-lived link the
 * install redirected to: anyone else (a guessed account id, an old link) learns nothing, not even
 * whether that account exists.
 */
function connectedRoute(router: Router, deps: OAuthRouteDeps): void {
  router.get('/oauth/connected', async (req, res) => {
    const id = verifyConnectedLink(deps.linkKey, req.query as Record<string, unknown>, deps.clock.now());
    const account = id === undefined ? undefined : await deps.store.run((tx) => findAccount(tx, id));
    if (!account || account.state !== 'active') {
      return page(res, 404, 'This link is not valid', [
        'It has expired or was not made by an install. If you just installed dramlink, you can close this window; otherwise install the integration from amoCRM.',
      ]);
    }
    const fieldsReady = Object.keys(account.fieldIds).length > 0;
    page(res, 200, 'dramlink is connected', [
      `dramlink is connected to ${account.name ?? account.subdomain} (${account.subdomain}.${account.baseDomain}).`,
      fieldsReady
        ? 'The payment fields were added to your leads. You can close this window and open a lead to create a payment link.'
        : 'The payment fields will be added to your leads in a moment. You can close this window.',
    ]);
  });
}

/** GET /oauth/disconnect: amoCRM's revoke hook (docs/architecture.md, Flows 7 Disconnect); the error envelope on a bad signature. */
function disconnectRoute(router: Router, deps: OAuthRouteDeps): void {
  router.get('/oauth/disconnect', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const result = await deps.amocrm.disconnect({
      accountId: text(q.account_id),
      clientUuid: text(q.client_uuid) ?? text(q.client_id),
      signature: text(q.signature),
    });
    res.json({ status: 'disconnected', accountId: result.accountId });
  });
}

export interface OAuthRouteDeps {
  amocrm: AmocrmServices;
  store: Store;
  logger: Logger;
  clock: Clock;
  /** Signs the link to the connected page (connected-link.ts). */
  linkKey: Buffer;
  /** The install callbacks' budget per client address (absent: unlimited). */
  limits?: StrangerLimits;
}

/** amoCRM → server: the install callback, the page it redirects to, and the revoke hook. */
export function oauthRoutes(deps: OAuthRouteDeps): Router {
  const router = Router();
  installRoute(router, deps);
  connectedRoute(router, deps);
  disconnectRoute(router, deps);
  return router;
}
