import { sql } from 'drizzle-orm';
import type { Currency } from '../../shared/money.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { ExceptionEvent, NotedEvent } from '../payments/ledger-events.ts';

/**
 * Queues CRM writes in the caller's transaction, so a state change and the CRM writes it implies
 * commit together or not at all (docs/architecture.md, Principles). The sync worker drains them
 * later. Notes and tasks carry the typed ledger event, not text: the text is rendered when it is
 * sent (server/sync/render/), so it can be written in the account's language.
 */

/** What a note or task needs besides its event: the payment's money, who acted, the provider, the link. */
export interface EventContext {
  amountMinor: number;
  currency: Currency;
  /** The stable actor id ("user:12", "provider:idram", "reconciler"). */
  actor: string;
  /** How a note names the actor ("Anna"), when known. */
  actorName?: string;
  provider?: string;
  link?: string;
}

/** A note job's payload. `eventKey` is also the `[dramlink:<eventKey>]` marker that makes it once-only. */
export interface NoteJobPayload {
  eventKey: string;
  event: NotedEvent;
  context: EventContext;
  /** The previous try may have written it: look for the marker before writing again. */
  verify?: boolean;
}

/** A task job's payload: the exception it is for and the event that opened it. */
export interface TaskJobPayload {
  exceptionKey: string;
  event: ExceptionEvent;
  context: EventContext;
  verify?: boolean;
}

/**
 * A note about automation that made no link (a pipeline trigger or a Salesbot step), with the
 * reason; rendered at send time like a ledger note (server/sync/render/reach-words.ts).
 */
export interface AutomationNotePayload {
  eventKey: string;
  automation: { type: 'link_not_created'; source: 'pipeline' | 'salesbot'; reason: string };
  verify?: boolean;
}

/** Jobs queued before events were typed carry their rendered text; they are sent as written. */
export interface LegacyTextPayload {
  eventKey?: string;
  exceptionKey?: string;
  text: string;
  verify?: boolean;
}

type JobKind = 'lead_update' | 'note' | 'task' | 'invoice_update' | 'bot_continue';

/** One job row as queued; `dedupeKey` decides what "the same job" is. */
interface QueuedJob {
  accountId: number;
  leadId: number;
  paymentId: string | null;
  dedupeKey: string;
  payload: string;
  now: number;
}

/**
 * The insert every queue shares (built once per kind); `onConflict` says what a second queue of the
 * same key does: nothing (once-only jobs), re-arm keeping the payload the writer stored after its
 * last send (a lead update), or re-arm with the new payload (an invoice update).
 */
function* insertJob(tx: Tx, kind: JobKind, job: QueuedJob, onConflict: 'nothing' | 'rearm' | 'rearm-with-payload'): Step<void> {
  const { syncJobs } = tx.t;
  const statement = tx.prepared(`outbox.${onConflict}.${kind}`, () => {
    const now = sql.placeholder('now');
    const insert = tx.insert(syncJobs).values({
      accountId: sql.placeholder('accountId'),
      kind,
      leadId: sql.placeholder('leadId'),
      paymentId: sql.placeholder('paymentId'),
      dedupeKey: sql.placeholder('dedupeKey'),
      payload: sql.placeholder('payload'),
      state: 'pending',
      nextRunAt: now,
      createdAt: now,
      updatedAt: now,
    });
    if (onConflict === 'nothing') return insert.onConflictDoNothing().prepare();
    return insert
      .onConflictDoUpdate({
        target: [syncJobs.accountId, syncJobs.dedupeKey],
        set: {
          // A newer state re-arms even a dead job: it is read fresh at send time and may now be accepted.
          // A job in flight stays with its writer (a second writer could land the older state last);
          // the bumped generation makes the writer put it back to pending when it finishes.
          state: sql`CASE WHEN ${syncJobs.state} = 'in_flight' THEN 'in_flight' ELSE 'pending' END`,
          generation: sql`${syncJobs.generation} + 1`,
          paymentId: sql`coalesce(excluded.payment_id, ${syncJobs.paymentId})`,
          ...(onConflict === 'rearm-with-payload' ? { payload: sql`excluded.payload` } : {}),
          // A failing job keeps its back-off; a done or healthy one runs now.
          nextRunAt: sql`CASE WHEN ${syncJobs.state} IN ('done', 'dead') THEN excluded.next_run_at ELSE ${tx.least(syncJobs.nextRunAt, sql`excluded.next_run_at`)} END`,
          attempts: sql`CASE WHEN ${syncJobs.state} IN ('done', 'dead') THEN 0 ELSE ${syncJobs.attempts} END`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .prepare();
  });
  yield* tx.run(statement, { ...job });
  tx.afterCommit({ topic: 'outbox', accountId: job.accountId });
}

/**
 * One lead update per lead: a newer change re-arms the same row and bumps its generation, so ten
 * events on one lead become one write carrying the latest state (read at send time).
 */
export function* queueLeadUpdate(tx: Tx, input: { accountId: number; leadId: number; paymentId?: string | null; now: number }): Step<void> {
  const { accountId, leadId, now } = input;
  const job = { accountId, leadId, paymentId: input.paymentId ?? null, dedupeKey: `lead:${leadId}`, payload: '{}', now };
  yield* insertJob(tx, 'lead_update', job, 'rearm');
}

/** A note is written once per event: the dedupe key is the event key, also carried as a marker in the text. */
export function* queueNote(
  tx: Tx,
  input: { accountId: number; leadId: number; paymentId?: string | null; note: NoteJobPayload | AutomationNotePayload; now: number },
): Step<void> {
  const { accountId, leadId, now, note } = input;
  const job = {
    accountId,
    leadId,
    paymentId: input.paymentId ?? null,
    dedupeKey: `note:${note.eventKey}`,
    payload: JSON.stringify(note),
    now,
  };
  yield* insertJob(tx, 'note', job, 'nothing');
}

/** A task only for an exception, once per exception key. */
export function* queueTask(
  tx: Tx,
  input: { accountId: number; leadId: number; paymentId?: string | null; task: TaskJobPayload; now: number },
): Step<void> {
  const { accountId, leadId, now, task } = input;
  const job = {
    accountId,
    leadId,
    paymentId: input.paymentId ?? null,
    dedupeKey: `task:${task.exceptionKey}`,
    payload: JSON.stringify(task),
    now,
  };
  yield* insertJob(tx, 'task', job, 'nothing');
}

/** An invoice job's payload: which invoice, in which list; its state is read from the ledger when sent. */
export interface InvoiceJobPayload {
  invoiceId: number;
  catalogId: number;
}

/**
 * One invoice update per invoice, re-armed like a lead update (a refund after the payment re-arms the
 * same row): the BILL_STATUS and payment date it carries are read from the ledger at send time.
 */
export function* queueInvoiceUpdate(
  tx: Tx,
  input: { accountId: number; leadId: number; paymentId: string; invoiceId: number; catalogId: number; now: number },
): Step<void> {
  const { accountId, leadId, paymentId, invoiceId, catalogId, now } = input;
  const payload = JSON.stringify({ invoiceId, catalogId } satisfies InvoiceJobPayload);
  yield* insertJob(
    tx,
    'invoice_update',
    { accountId, leadId, paymentId, dedupeKey: `invoice:${invoiceId}`, payload, now },
    'rearm-with-payload',
  );
}

/** What a waiting Salesbot step gets (server/salesbot/): where (the return_url's path) and the `{{json.*}}` data. */
export interface BotContinueJobPayload {
  path: string;
  data: Record<string, string | number | boolean | null>;
  verify?: boolean;
}

/** A bot step is answered once: the dedupe key is its return_url, so a retried widget_request adds nothing. */
export function* queueBotContinue(
  tx: Tx,
  input: { accountId: number; leadId: number; paymentId: string | null; continued: BotContinueJobPayload; now: number },
): Step<void> {
  const { accountId, leadId, paymentId, continued, now } = input;
  const job = { accountId, leadId, paymentId, dedupeKey: `bot:${continued.path}`, payload: JSON.stringify(continued), now };
  yield* insertJob(tx, 'bot_continue', job, 'nothing');
}
