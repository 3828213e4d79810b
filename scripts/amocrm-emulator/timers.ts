/**
 * Delays for injected faults. Tracked so stop() can cancel them: a fault that hangs a response for
 * minutes must not keep the test process alive.
 */
export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pending.delete(t);
        resolve();
      }, ms);
      this.pending.add(t);
    });
  }

  /** Pending sleeps never resolve; their sockets are destroyed by the server's shutdown. */
  cancelAll(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}
