import http from 'node:http';

export interface OpenLoopResult {
  requests: number;
  /** Answers per second over the run (from the first scheduled send to the last answer). */
  rps: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /**
   * How late the generator itself sent (actual send − scheduled time), p99: near 0 means it kept the
   * schedule; more means the machine starved the generator (it shares the cores with the server and
   * whatever else runs).
   */
  sendLagP99ms: number;
  /** p99 counted from the scheduled time instead (the generator's own lateness included). */
  fromScheduleP99ms: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * A true open loop: request i is sent at start + i / rate whatever the answers before it did (a
 * slow answer never delays the next send), over up to `connections` keep-alive connections. Each
 * latency runs from the moment the request was handed to the HTTP client to the end of its answer,
 * so a wait for a free connection counts against the server; the generator's own lateness (a
 * timer that fired late on a busy machine) is reported apart (sendLagP99ms), and p99 counted from
 * the scheduled time beside it.
 *
 * autocannon's `overallRate` is not this: it gives each connection a budget per second that it
 * spends back to back as soon as its one-second interval restarts, so the whole second's requests
 * arrive in about the first 100 ms of each second, at closed-loop speed; and it records each
 * latency with a coordinated-omission correction whose expected interval is ceil(1 / rate) = 1 ms,
 * adding a synthetic sample for every millisecond an answer took.
 */
export async function openLoop(
  url: string,
  bodies: readonly { body: string; headers: Record<string, string> }[],
  rate: number,
  connections = 64,
): Promise<OpenLoopResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const lags: number[] = [];
  const fromSchedule: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let last = 0;
  const interval = 1000 / rate;
  const start = performance.now() + 50;
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const scheduled = start + i * interval;
      const sent = performance.now();
      lags.push(sent - scheduled);
      const { body, headers } = bodies[i];
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            last = performance.now();
            latencies.push(last - sent);
            fromSchedule.push(last - scheduled);
            if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const pending: Promise<void>[] = [];
  await new Promise<void>((done) => {
    let next = 0;
    const pump = () => {
      // Every request whose time has come is sent now; then sleep until the next one is due.
      while (next < bodies.length && start + next * interval <= performance.now()) pending.push(send(next++));
      if (next >= bodies.length) return done();
      setTimeout(pump, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(pump, Math.max(0, start - performance.now()));
  });
  await Promise.all(pending);
  agent.destroy();
  for (const values of [latencies, lags, fromSchedule]) values.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    requests: latencies.length,
    rps: latencies.length / ((last - start) / 1000),
    p50ms: round(percentile(latencies, 50)),
    p99ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? 0),
    non2xx,
    errors,
    sendLagP99ms: round(percentile(lags, 99)),
    fromScheduleP99ms: round(percentile(fromSchedule, 99)),
  };
}
