import type { SandboxSessionStatus } from '../../server/providers/sandbox/api-schemas.ts';
import type { SandboxSession } from './session-store.ts';

/** A pending session past its expiry is expired; nothing stores that, so no job is needed. */
export function effectiveStatus(session: SandboxSession, now: number): SandboxSessionStatus {
  return session.status === 'pending' && now >= session.expiresAt ? 'expired' : session.status;
}
