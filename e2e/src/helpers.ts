import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach } from 'node:test';
import { submit, type SubmitOptions, type SubmittedApp } from '@sluice/cli';

const running: SubmittedApp[] = [];

/**
 * submit() with executor processes, remembering the app so that a failed test still
 * stops it (see below).
 */
export async function start(options: SubmitOptions): Promise<SubmittedApp & { pool: NonNullable<SubmittedApp['pool']> }> {
  const app = await submit(options);
  running.push(app);
  const { pool } = app;
  if (!pool) throw new Error('start() runs jobs on executor processes; this one ran in local mode');
  return { ...app, pool };
}

// Only one StreamingContext may be active per process: whatever a test left running is
// stopped before the next test, so one failure does not cascade.
afterEach(async () => {
  for (const app of running.splice(0)) if (app.ssc.state !== 'stopped') await app.ssc.stop();
});

/** A TCP server that plays the data source (like `nc -lk`): returns its port. */
export async function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    // The engine may drop a connection on purpose (reset after a corrupt frame, stop).
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `predicate` until it holds or `timeoutMs` passes. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const sluiceBin = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));

/**
 * Runs `sluice <args>` as a user would and waits for it to exit. Asynchronous, so a
 * source served by the test process (see listen()) keeps serving meanwhile.
 */
export async function runSluice(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [sluiceBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}
