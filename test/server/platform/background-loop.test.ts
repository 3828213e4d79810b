import { expect } from 'chai';
import { createBackgroundLoop, type Timer } from '../../../server/platform/background-loop.ts';

/** A timer the test fires by hand: `fire()` runs every callback due, in order. */
function manualTimer(): Timer & { pending(): number[]; fire(): void } {
  let queue: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const schedule: Timer = (fn, ms) => {
    const entry = { fn, ms, cancelled: false };
    queue.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const timer = schedule as Timer & { pending(): number[]; fire(): void };
  timer.pending = () => queue.filter((e) => !e.cancelled).map((e) => e.ms);
  timer.fire = () => {
    const due = queue.filter((e) => !e.cancelled);
    queue = [];
    due.forEach((e) => e.fn());
  };
  return timer;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const silent = { error: () => undefined };

describe('BackgroundLoop', () => {
  it('waits the first delay, runs a pass, then waits the interval after each pass ends (not from its start)', async () => {
    const timer = manualTimer();
    let passes = 0;
    const loop = createBackgroundLoop({
      name: 't',
      intervalMs: 1000,
      firstPassAfterMs: 5,
      timer,
      logger: silent,
      pass: async () => ++passes,
    });
    loop.start();
    expect(timer.pending()).to.deep.equal([5]);
    expect(passes).to.equal(0);
    timer.fire();
    await settle();
    expect(passes).to.equal(1);
    expect(timer.pending()).to.deep.equal([1000]);
    timer.fire();
    await settle();
    expect(passes).to.equal(2);
    await loop.stop();
    expect(timer.pending()).to.deep.equal([]);
  });

  it('never overlaps passes: runOnce during a pass runs after it', async () => {
    const gate = deferred();
    const order: string[] = [];
    let n = 0;
    const loop = createBackgroundLoop({
      name: 't',
      intervalMs: 1000,
      logger: silent,
      timer: manualTimer(),
      pass: async () => {
        const i = ++n;
        order.push(`start ${i}`);
        if (i === 1) await gate.promise;
        order.push(`end ${i}`);
        return i;
      },
    });
    const first = loop.runOnce();
    const second = loop.runOnce();
    await settle();
    expect(order).to.deep.equal(['start 1']);
    gate.resolve();
    expect(await second).to.equal(2);
    expect(await first).to.equal(1);
    expect(order).to.deep.equal(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('stop waits for the pass in progress and schedules nothing after it', async () => {
    const timer = manualTimer();
    const gate = deferred();
    let finished = false;
    const loop = createBackgroundLoop({
      name: 't',
      intervalMs: 1000,
      timer,
      logger: silent,
      pass: async () => {
        await gate.promise;
        finished = true;
      },
    });
    loop.start();
    timer.fire();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped, 'stop returned while a pass was running').to.equal(false);
    gate.resolve();
    await stopping;
    expect(finished).to.equal(true);
    await settle();
    expect(timer.pending()).to.deep.equal([]);
  });

  it('logs a failed pass instead of throwing, and keeps looping', async () => {
    const timer = manualTimer();
    const logged: string[] = [];
    let n = 0;
    const loop = createBackgroundLoop({
      name: 'sync-worker',
      intervalMs: 10,
      timer,
      logger: { error: (message: string) => logged.push(message) },
      pass: async () => {
        if (++n === 1) throw new Error('boom');
        return n;
      },
    });
    loop.start();
    timer.fire();
    await settle();
    expect(logged).to.deep.equal(['sync-worker: pass failed']);
    expect(timer.pending()).to.deep.equal([10]);
    timer.fire();
    await settle();
    expect(n).to.equal(2);
    await loop.stop();
  });

  it('a second start while running does not schedule a second pass; start after stop does', async () => {
    const timer = manualTimer();
    const loop = createBackgroundLoop({ name: 't', intervalMs: 10, timer, logger: silent, pass: async () => undefined });
    loop.start();
    loop.start();
    expect(timer.pending()).to.deep.equal([10]);
    await loop.stop();
    loop.start();
    expect(timer.pending()).to.deep.equal([10]);
    await loop.stop();
  });

  describe('wake()', () => {
    it('replaces the pending interval with the short wake delay, and several wakes share one pass', async () => {
      const timer = manualTimer();
      let passes = 0;
      const loop = createBackgroundLoop({
        name: 't',
        intervalMs: 1000,
        firstPassAfterMs: 1000,
        wakeDelayMs: 25,
        timer,
        logger: silent,
        pass: async () => ++passes,
      });
      loop.start();
      loop.wake();
      loop.wake();
      loop.wake();
      expect(timer.pending()).to.deep.equal([25]);
      timer.fire();
      await settle();
      expect(passes).to.equal(1);
      expect(timer.pending()).to.deep.equal([1000]);
      await loop.stop();
    });

    it('runs another pass right after the one in progress when woken during it (the pass may have missed the change)', async () => {
      const timer = manualTimer();
      const gate = deferred();
      let passes = 0;
      const loop = createBackgroundLoop({
        name: 't',
        intervalMs: 1000,
        firstPassAfterMs: 0,
        wakeDelayMs: 25,
        timer,
        logger: silent,
        pass: async () => {
          if (++passes === 1) await gate.promise;
        },
      });
      loop.start();
      timer.fire();
      await settle();
      loop.wake();
      expect(timer.pending()).to.deep.equal([]);
      gate.resolve();
      await settle();
      expect(timer.pending()).to.deep.equal([25]);
      timer.fire();
      await settle();
      expect(passes).to.equal(2);
      expect(timer.pending()).to.deep.equal([1000]);
      await loop.stop();
    });

    it('does nothing while the loop is stopped', async () => {
      const timer = manualTimer();
      const loop = createBackgroundLoop({
        name: 't',
        intervalMs: 1000,
        wakeDelayMs: 25,
        timer,
        logger: silent,
        pass: async () => undefined,
      });
      loop.wake();
      expect(timer.pending()).to.deep.equal([]);
      loop.start();
      await loop.stop();
      loop.wake();
      expect(timer.pending()).to.deep.equal([]);
    });
  });
});
