import { and, eq } from 'drizzle-orm';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';

/**
 * What amoCRM's answers showed about what it does not document, per account and topic
 * (`paywall`, `invoice_sync`, `digital_pipeline`, `salesbot`, `salesbot_designer`, `bot_run`): a small JSON record merged
 * field by field, read by `npm run doctor`. Only facts about amoCRM's behaviour (which endpoint
 * answered, which token algorithm came, when it last worked or failed and with what code): never a
 * token, a secret or a customer's data.
 */
export type ObservationTopic = 'paywall' | 'invoice_sync' | 'digital_pipeline' | 'salesbot' | 'salesbot_designer' | 'bot_run';

export type Observation = Record<string, string | number | boolean | null>;

export function* readObservation(tx: Tx, accountId: number, topic: ObservationTopic): Step<Observation | undefined> {
  const { amocrmObservations } = tx.t;
  const row = yield* tx.get(
    tx
      .select({ data: amocrmObservations.data })
      .from(amocrmObservations)
      .where(and(eq(amocrmObservations.accountId, accountId), eq(amocrmObservations.topic, topic))),
  );
  if (!row) return undefined;
  try {
    return JSON.parse(row.data) as Observation;
  } catch {
    return undefined;
  }
}

/**
 * Merges `fields` into the record (a field set to null is kept as null: "no longer true"). Run it in
 * a transaction: the merge is serialized per account and topic, so instances never lose each other's fields.
 */
export function* recordObservation(tx: Tx, accountId: number, topic: ObservationTopic, fields: Observation, now: number): Step<void> {
  const { amocrmObservations } = tx.t;
  yield* tx.serialize(`observation:${accountId}:${topic}`);
  const merged = { ...((yield* readObservation(tx, accountId, topic)) ?? {}), ...fields };
  yield* tx.run(
    tx
      .insert(amocrmObservations)
      .values({ accountId, topic, data: JSON.stringify(merged), updatedAt: now })
      .onConflictDoUpdate({
        target: [amocrmObservations.accountId, amocrmObservations.topic],
        set: { data: JSON.stringify(merged), updatedAt: now },
      }),
  );
}
