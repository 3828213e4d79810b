import type { AutomationNotePayload, LegacyTextPayload, NoteJobPayload } from '../outbox.ts';
import { ENGLISH } from './strings-en.ts';
import type { LedgerStrings } from './strings.ts';

/**
 * The text of the note a manager reads on the lead for one ledger event: a sentence or two, with the
 * amount and who did it. Rendered when the note is sent, in the language of `strings`.
 */
export function renderNoteText(
  payload: NoteJobPayload | AutomationNotePayload | LegacyTextPayload,
  strings: LedgerStrings = ENGLISH,
): string {
  if ('automation' in payload) return strings.reach.linkNotCreated(payload.automation.source, payload.automation.reason);
  if (!('event' in payload)) return payload.text;
  const { event, context } = payload;
  const render = strings.notes[event.type] as (e: typeof event, c: typeof context, s: LedgerStrings) => string;
  return render(event, context, strings);
}

/**
 * The marker a note (or task) carries so the sync worker can find one it already wrote after an
 * ambiguous failure: `#dl` and 10 characters derived from the event key, short enough to pass for a
 * reference number. Two notes on one lead share it only by a 1-in-10^15 chance.
 */
export function noteMarker(eventKey: string): string {
  return `#dl${fnv1a(eventKey, 0x811c9dc5)}${fnv1a(eventKey, 0x01000193)}`.slice(0, 13);
}

/** What versions before the short marker wrote (`[dramlink:<key>]`): still looked for, so an upgrade never writes a note twice. */
export function legacyNoteMarker(eventKey: string): string {
  return `[dramlink:${eventKey}]`;
}

/** Both markers a note or task written for `eventKey` may carry. */
export const markersOf = (eventKey: string): string[] => [noteMarker(eventKey), legacyNoteMarker(eventKey)];

/** FNV-1a (32 bits) in base 36, 6–7 characters. Not a security measure: only a compact, stable tag. */
function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}
