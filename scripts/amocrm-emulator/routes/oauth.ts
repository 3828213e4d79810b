import { Router } from 'express';
import { oauthError, type Reply } from '../reply.ts';
import { isRecord } from '../validation.ts';
import type { RouteDeps } from './deps.ts';

/** amoCRM does not say why a code failed: wrong client, used, expired and unknown all look alike. */
const revokedCode = (): Reply =>
  oauthError(
    400,
    'Authorization code has been revoked',
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  );

/** A spent refresh token is a 401: the server must re-authorize, retrying cannot help. */
const revokedRefresh = (): Reply => oauthError(401, 'Token has been revoked', 'The refresh token is invalid.');

/** `POST /oauth2/access_token`: both grants, single-use codes and rotating refresh tokens. */
export function oauthRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { tokens, responder, options } = deps;
  r.post(
    '/oauth2/access_token',
    responder.route((req) => {
      const b = isRecord(req.body) ? req.body : {};
      const clientOk = b.client_id === options.clientId && b.client_secret === options.clientSecret;
      const redirectOk = b.redirect_uri === options.redirectUri;
      const json = (reply: Reply): Reply => ({ ...reply, contentType: 'application/json' });
      switch (b.grant_type) {
        case 'authorization_code': {
          if (!clientOk || !redirectOk || typeof b.code !== 'string') return revokedCode();
          const result = tokens.exchangeCode(b.code);
          return result.ok ? json({ status: 200, json: result.pair }) : revokedCode();
        }
        case 'refresh_token': {
          // Checked before the token is touched: a misconfigured client must not burn the account's token.
          if (!clientOk) return oauthError(400, 'Client authentication failed', 'Client authentication failed');
          if (!redirectOk) return oauthError(400, 'Redirect URI mismatch', 'The redirect_uri does not match the registered one.');
          if (typeof b.refresh_token !== 'string') return revokedRefresh();
          const result = tokens.refreshGrant(b.refresh_token);
          return result.ok ? json({ status: 200, json: result.pair }) : revokedRefresh();
        }
        default:
          return oauthError(
            400,
            'Check the `grant_type` parameter',
            'The authorization grant type is not supported by the authorization server.',
          );
      }
    }),
  );
  return r;
}
