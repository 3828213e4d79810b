import { readTokenClaims } from '../widget-api/auth/token-claims.ts';
import { ago, fail, pass, type Check, type CheckContext } from './check.ts';

/**
 * What this account's disposable tokens actually carried (amoCRM documents neither one token per
 * request nor the is_admin claim): claim names, lifetime, jti reuse, is_admin present or not. A
 * reuse while AMOCRM_TOKEN_REPLAY=reject refuses the panel's calls: a failure with the fix.
 */
export async function checkTokenClaims(c: CheckContext, installerIsAdmin: boolean | undefined): Promise<Check> {
  const record = await c.store.run((tx) => readTokenClaims(tx, c.account.id));
  const now = c.clock.now();
  if (!record)
    return pass(
      'token_claims',
      'no disposable token seen yet: open a lead card with the dramlink panel, then run doctor again to see what amoCRM sends',
    );
  const admin =
    record.adminClaim.present && record.adminClaim.absent
      ? 'is_admin sometimes present, sometimes absent'
      : record.adminClaim.present
        ? 'is_admin present'
        : 'is_admin absent (admins are confirmed with GET /api/v4/users/{id})';
  const reuse =
    record.jtiReuses > 0 ? `a jti was reused ${record.jtiReuses} time(s), last ${ago(now, record.lastReuseAt ?? now)}` : 'no jti reused';
  const detail = `claims ${record.claimNames.join(', ')}; lifetime ${record.lifetimeSec.min === record.lifetimeSec.max ? `${record.lifetimeSec.min} s` : `${record.lifetimeSec.min}–${record.lifetimeSec.max} s`}; ${admin}; ${reuse}; last seen ${ago(now, record.lastSeenAt)}`;
  if (record.jtiReuses > 0 && c.config.amocrm.tokenReplay === 'reject') {
    return fail(
      'token_claims',
      detail,
      'amoCRM reuses disposable tokens: set AMOCRM_TOKEN_REPLAY=log, or the panel gets 401 token_replayed after its first call.',
    );
  }
  if (record.adminClaim.absent && installerIsAdmin === false) {
    return fail(
      'token_claims',
      detail,
      'Tokens come without is_admin and the installing user is no admin, so amoCRM cannot confirm admins: an admin must install dramlink.',
    );
  }
  return pass('token_claims', detail);
}
