import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The real server as a child process the fault suite can SIGKILL: the dev wing's entry
 * (`node --import tsx scripts/local-mode/main.ts`: the production app plus the sandbox gateway, as
 * `npm start` runs it with the sandbox enabled), and a loopback HTTP client whose connections
 * belong to one phase of a test (a killed server's pooled sockets must not leak into the
 * restarted one's).
 */
export const SERVER_MAIN = fileURLToPath(new URL('../../scripts/local-mode/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const CLOCK_SHIFT = fileURLToPath(new URL('./fault-clock-shift.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process wrote (stdout and stderr), for failure messages. */
  logTail(lines?: number): string;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/**
 * Starts the server with exactly `env` (plus PATH), appending its output to `logPath`, and waits
 * until /readyz answers 200. `clockShiftMs` moves the child's clock forward (fault-clock-shift.ts).
 */
export async function startServerProcess(opts: {
  cwd: string;
  port: number;
  env: Record<string, string>;
  logPath: string;
  clockShiftMs?: number;
  readyWithinMs?: number;
}): Promise<ServerProcess> {
  const out = openSync(opts.logPath, 'a');
  const proc = spawn(process.execPath, ['--import', TSX, '--import', CLOCK_SHIFT, SERVER_MAIN], {
    cwd: opts.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: opts.cwd,
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
      DRAMLINK_FAULT_CLOCK_SHIFT_MS: String(opts.clockShiftMs ?? 0),
      ...opts.env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const server: ServerProcess = {
    url,
    proc,
    exited,
    logTail: (lines = 30) => readFileSync(opts.logPath, 'utf8').split('\n').slice(-lines).join('\n'),
  };
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + (opts.readyWithinMs ?? 60_000);
  for (;;) {
    if (gone) throw new Error(`the server exited before it was ready:\n${server.logTail()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the server was not ready within ${opts.readyWithinMs ?? 60_000} ms:\n${server.logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function killHard(server: ServerProcess): Promise<void> {
  if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
  await server.exited;
}

/** Loopback POSTs on a connection pool of its own; destroy() drops every socket of the phase. */
export function phaseClient(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    destroy: () => agent.destroy(),
  };
}
