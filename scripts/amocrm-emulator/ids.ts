/**
 * Id sequences shared by every account of one emulator: amoCRM ids are global, so a server that
 * mixes up two accounts' leads or fields sees a miss rather than a lucky collision.
 * Starts are amoCRM-sized so nothing relies on small ids.
 */
const STARTS = {
  account: 31_000_001,
  user: 9_100_001,
  pipeline: 8_200_001,
  status: 71_000_001,
  field: 1_050_001,
  enum: 870_001,
  lead: 24_000_001,
  note: 190_000_001,
  task: 41_000_001,
  catalog: 7_300_001,
  element: 1_160_001,
  bot: 36_001,
  continuation: 120_001,
} as const;

export type IdKind = keyof typeof STARTS;

export class IdSequences {
  private next: Record<IdKind, number> = { ...STARTS };

  take(kind: IdKind): number {
    return this.next[kind]++;
  }

  /** An explicit id from a test: later generated ids must not reuse it. */
  claim(kind: IdKind, id: number): number {
    if (id >= this.next[kind]) this.next[kind] = id + 1;
    return id;
  }
}
