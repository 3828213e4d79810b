import type { AmocrmClient } from '../amocrm/client.ts';
import { chunk } from './batch-split.ts';
import type { ClaimedJob } from './job-store.ts';
import type { LegacyTextPayload, NoteJobPayload } from './outbox.ts';
import { noteMarker, renderNoteText } from './render/note-text.ts';
import { needsVerify, parsePayload, withVerify, type JobWriter } from './writers.ts';

export const NOTE_SERVICE = 'dramlink';

type NotePayload = (NoteJobPayload | LegacyTextPayload) & { eventKey: string };

interface NoteItem {
  entity_id: number;
  note_type: 'service_message';
  params: { service: string; text: string };
  request_id: string;
}

/**
 * Which of `markers` already appear in the recent service notes of these leads. Used after a note
 * request that timed out or failed with 5xx: the note may be there, and writing it again would
 * show the manager the same event twice.
 */
export async function findNoteMarkers(
  client: AmocrmClient,
  accountId: number,
  leadIds: number[],
  markers: Set<string>,
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const leads of chunk([...new Set(leadIds)], 50)) {
    for (let page = 1; page <= 5; page++) {
      const res = await client.request<{ _embedded?: { notes?: Array<{ params?: { text?: unknown } }> }; _links?: { next?: unknown } }>(
        accountId,
        {
          method: 'GET',
          path: '/api/v4/leads/notes',
          query: { 'filter[entity_id][]': leads, 'filter[note_type][]': ['service_message'], 'order[id]': 'desc', limit: 250, page },
        },
      );
      for (const note of res.data?._embedded?.notes ?? []) {
        const text = typeof note.params?.text === 'string' ? note.params.text : '';
        for (const m of markers) if (text.includes(m)) found.add(m);
      }
      if (found.size === markers.size || !res.data?._links?.next) break;
    }
  }
  return found;
}

/** Notes: `service_message` with the event's marker, written exactly once per event. */
export function noteWriter(): JobWriter<NoteItem> {
  const markerOf = (job: ClaimedJob) => noteMarker(parsePayload<NotePayload>(job).eventKey);
  return {
    kind: 'note',
    async prepare(ctx, jobs) {
      const check = jobs.filter(needsVerify);
      if (check.length === 0) return { done: [], send: jobs };
      const found = await findNoteMarkers(
        ctx.client,
        ctx.account.accountId,
        check.map((j) => j.row.leadId),
        new Set(check.map(markerOf)),
      );
      const done = check.filter((j) => found.has(markerOf(j)));
      return { done, send: jobs.filter((j) => !done.includes(j)) };
    },
    item(_ctx, job, index) {
      const p = parsePayload<NotePayload>(job);
      return {
        entity_id: job.row.leadId,
        note_type: 'service_message',
        params: { service: NOTE_SERVICE, text: `${renderNoteText(p)} ${noteMarker(p.eventKey)}` },
        request_id: String(index),
      };
    },
    async send(ctx, items) {
      // Not idempotent: after a timeout or 5xx the client does not repeat it; the next try looks first.
      await ctx.client.request(ctx.account.accountId, { method: 'POST', path: '/api/v4/leads/notes', body: items, idempotent: false });
    },
    markForVerify: withVerify,
  };
}
