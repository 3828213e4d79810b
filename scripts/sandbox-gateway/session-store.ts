import type { Currency } from '../../shared/money.ts';

/** What the gateway stores: pending until paid, declined (failed) or cancelled; expiry is computed. */
export type StoredSessionStatus = 'pending' | 'paid' | 'failed' | 'cancelled';

export interface SandboxRefund {
  refundId: string;
  amountMinor: number;
  createdAt: number;
}

export interface SandboxSession {
  /** `ses_…`, unguessable: it is the only key of the public checkout page. */
  id: string;
  /** Read from notifyUrl (/webhooks/sandbox/:accountId); picks the webhookSecret. */
  accountId: string;
  orderNo: string;
  amountMinor: number;
  currency: Currency;
  description: string;
  returnUrl: string;
  notifyUrl: string;
  status: StoredSessionStatus;
  /** Cumulative. */
  refundedMinor: number;
  /** Every refund, for idempotency on refundId. */
  refunds: SandboxRefund[];
  /** epoch ms */
  createdAt: number;
  /** epoch ms; a pending session past it is expired. */
  expiresAt: number;
}

/**
 * Where sandbox sessions live. `update` applies `change` atomically to the current row (a SQLite
 * transaction, a lock, or a synchronous map update) and returns what was stored; `change` may
 * return its input unchanged and may throw to abort.
 */
export interface SandboxSessionStore {
  get(id: string): Promise<SandboxSession | undefined>;
  create(session: SandboxSession): Promise<void>;
  update(id: string, change: (current: SandboxSession) => SandboxSession): Promise<SandboxSession | undefined>;
}

/** For tests and the emulators: one process, no persistence. Copies in and out so callers cannot alias rows. */
export class InMemorySandboxSessionStore implements SandboxSessionStore {
  private readonly sessions = new Map<string, SandboxSession>();

  async get(id: string): Promise<SandboxSession | undefined> {
    const session = this.sessions.get(id);
    return session && structuredClone(session);
  }

  async create(session: SandboxSession): Promise<void> {
    if (this.sessions.has(session.id)) throw new Error(`sandbox session ${session.id} already exists`);
    this.sessions.set(session.id, structuredClone(session));
  }

  async update(id: string, change: (current: SandboxSession) => SandboxSession): Promise<SandboxSession | undefined> {
    const current = this.sessions.get(id);
    if (!current) return undefined;
    // Synchronous from read to write: no other update can interleave.
    const next = change(structuredClone(current));
    if (next.id !== id) throw new Error('a sandbox session update cannot change its id');
    this.sessions.set(id, structuredClone(next));
    return structuredClone(next);
  }
}
