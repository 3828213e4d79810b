import { ManualClock } from '../../../../server/platform/clock.ts';
import type { HttpClient } from '../../../../server/platform/http-client.ts';

/**
 * A ManualClock that can sleep: a sleeper is woken by moving the clock to its deadline, earliest
 * first, and only while no tracked HTTP request is in flight, so virtual time passes only when
 * everything is waiting on a timer (a discrete-event simulation). Back-offs of minutes take
 * milliseconds, and what the emulator records is on the same timeline as what the client decided.
 */
export class VirtualClock extends ManualClock {
  private sleepers: Array<{ deadline: number; seq: number; resolve: () => void }> = [];
  private seq = 0;
  private inFlight = 0;
  private scheduled = false;
  /** Every sleep requested, for tests that check back-offs. */
  readonly sleeps: number[] = [];

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => {
      this.sleepers.push({ deadline: this.now() + Math.max(0, ms), seq: this.seq++, resolve });
      this.sleepers.sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
      this.schedule();
    });
  }

  /** Wraps an HTTP client so the clock stands still while its requests are in flight. */
  track(http: HttpClient): HttpClient {
    return {
      request: async (req) => {
        this.inFlight++;
        try {
          return await http.request(req);
        } finally {
          this.inFlight--;
          this.schedule();
        }
      },
    };
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A few real milliseconds: lets chained async work start its next request before time moves.
    setTimeout(() => this.pump(), 2);
  }

  private pump(): void {
    this.scheduled = false;
    if (this.inFlight > 0 || this.sleepers.length === 0) return;
    const next = this.sleepers.shift()!;
    if (this.now() < next.deadline) this.set(next.deadline);
    next.resolve();
    if (this.sleepers.length > 0) this.schedule();
  }
}
