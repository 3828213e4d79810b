import type { LegacyTextPayload, NoteJobPayload } from '../outbox.ts';
import { ENGLISH } from './strings-en.ts';
import type { LedgerStrings } from './strings.ts';

/**
 * The text of the note a manager reads on the lead for one ledger event: short, factual, with the
 * amount and who did it. Rendered when the note is sent, in the language of `strings`.
 */
export function renderNoteText(payload: NoteJobPayload | LegacyTextPayload, strings: LedgerStrings = ENGLISH): string {
  if (!('event' in payload)) return payload.text;
  const { event, context } = payload;
  const render = strings.notes[event.type] as (e: typeof event, c: typeof context, s: LedgerStrings) => string;
  return render(event, context, strings);
}

/** The marker a note (or task) carries so the sync worker can find one it already wrote. */
export function noteMarker(eventKey: string): string {
  return `[dramlink:${eventKey}]`;
}
