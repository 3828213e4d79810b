import type { LegacyTextPayload, TaskJobPayload } from '../outbox.ts';
import { ENGLISH } from './strings-en.ts';
import type { LedgerStrings } from './strings.ts';

/** The text of the task a person gets for an exception, rendered when the task is sent. */
export function renderTaskText(payload: TaskJobPayload | LegacyTextPayload, strings: LedgerStrings = ENGLISH): string {
  if (!('event' in payload)) return payload.text;
  const { event, context } = payload;
  return event.type === 'review_needed'
    ? strings.tasks.review(event, context, strings)
    : strings.tasks.refundFailed(event, context, strings);
}
