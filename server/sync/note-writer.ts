import type { AccountAmocrm, NoteItem } from '../amocrm/endpoints/index.ts';
import type { ClaimedJob } from './job-store.ts';
import type { AutomationNotePayload, LegacyTextPayload, NoteJobPayload } from './outbox.ts';
import { accountLanguage } from '../accounts/account-language.ts';
import { ledgerStrings } from './render/ledger-strings.ts';
import { markersOf, noteMarker, renderNoteText } from './render/note-text.ts';
import { findMarkers, needsVerify, parsePayload, withVerify, type JobWriter } from './writers.ts';

export const NOTE_SERVICE = 'dramlink';

type NotePayload = (NoteJobPayload | AutomationNotePayload | LegacyTextPayload) & { eventKey: string };

/** Which of the `wanted` markers already appear in the recent service notes of these leads (see findMarkers). */
export function findNoteMarkers(amocrm: AccountAmocrm, leadIds: number[], markers: string[][]): Promise<Set<string>> {
  return findMarkers(leadIds, markers, (leads, page) => amocrm.notes.serviceTexts(leads, page));
}

/** Notes: `service_message` with the event's marker, written exactly once per event, in the account's language. */
export function noteWriter(): JobWriter<NoteItem> {
  const markersOfJob = (job: ClaimedJob) => markersOf(parsePayload<NotePayload>(job).eventKey);
  return {
    kind: 'note',
    async prepare(ctx, jobs) {
      const check = jobs.filter(needsVerify);
      if (check.length === 0) return { done: [], send: jobs };
      const found = await findNoteMarkers(
        ctx.account.amocrm,
        check.map((j) => j.row.leadId),
        check.map(markersOfJob),
      );
      const done = check.filter((j) => markersOfJob(j).some((m) => found.has(m)));
      return { done, send: jobs.filter((j) => !done.includes(j)) };
    },
    item(ctx, job, index) {
      const p = parsePayload<NotePayload>(job);
      const strings = ledgerStrings(accountLanguage(ctx.account.account));
      return {
        entity_id: job.row.leadId,
        note_type: 'service_message',
        params: { service: NOTE_SERVICE, text: `${renderNoteText(p, strings)} ${noteMarker(p.eventKey)}` },
        request_id: String(index),
      };
    },
    async send(ctx, items) {
      // Not idempotent: after a timeout or 5xx the client does not repeat it; the next try looks first.
      await ctx.account.amocrm.notes.add(items);
    },
    markForVerify: withVerify,
  };
}
