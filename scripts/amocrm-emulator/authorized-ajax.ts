import type { DisposableTokenBehaviour, DisposableTokenInput } from './types.ts';

/** A reused token is handed out until this long before it expires, then a new one. */
const REUSE_MARGIN_SEC = 60;

/**
 * What `$authorizedAjax` puts in X-Auth-Token. amoCRM does not document whether it mints a token per
 * request or reuses one, nor lists the `is_admin` claim; both behaviours are switchable, so the
 * server can be tested against either: `reuse` hands the same token to a user until shortly before
 * it expires; `isAdminClaim: false` leaves `is_admin` out.
 */
export class AuthorizedAjaxTokens {
  private behaviour: DisposableTokenBehaviour;
  private readonly issued = new Map<string, { token: string; exp: number }>();

  constructor(
    private readonly sign: (input: DisposableTokenInput) => string,
    private readonly nowSec: () => number,
    behaviour: Partial<DisposableTokenBehaviour> = {},
  ) {
    this.behaviour = { reuse: false, isAdminClaim: true, ...behaviour };
  }

  set(behaviour: Partial<DisposableTokenBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...behaviour };
    this.issued.clear();
  }

  get current(): DisposableTokenBehaviour {
    return { ...this.behaviour };
  }

  token(input: { accountId: number; userId: number; isAdmin?: boolean }): string {
    const key = `${input.accountId}:${input.userId}:${input.isAdmin ?? ''}`;
    const kept = this.behaviour.reuse ? this.issued.get(key) : undefined;
    if (kept && kept.exp - REUSE_MARGIN_SEC > this.nowSec()) return kept.token;
    const overrides = this.behaviour.isAdminClaim ? undefined : { is_admin: undefined };
    const token = this.sign({ ...input, overrides });
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).exp as number;
    this.issued.set(key, { token, exp });
    return token;
  }
}
