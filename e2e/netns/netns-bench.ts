/**
 * What the veth path costs: ingest plus word count with the executors in other network
 * namespaces, against the same run with the executors next to the driver (loopback in the
 * driver's namespace). Receivers run in the driver, so every block crosses to an executor
 * with its task: the traffic a remote executor adds. Runs alternate A B B A.
 *
 *   nice -n -15 node --import tsx e2e/netns/netns-bench.ts [lines] [rounds]
 *
 * Needs root (network namespaces). Prints one line per run and the ratio of the medians.
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetnsLab } from './netns-lab.js';

const sluiceBin = fileURLToPath(new URL('../../packages/cli/bin/sluice.mjs', import.meta.url));
const forwarder = fileURLToPath(new URL('./unix-forwarder.mjs', import.meta.url));
const job = fileURLToPath(new URL('../fixtures/netns-wordcount-job.ts', import.meta.url));
const LINES = Number(process.argv[2] ?? 400_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const LINE = 'the quick brown fox jumps over the lazy dog again and again';
const WORDS_PER_LINE = LINE.split(' ').length;

const why = NetnsLab.unavailable();
if (why) {
  console.error(`netns-bench: ${why}`);
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'sluice-netns-bench-'));
const secretFile = join(scratch, 'secret');
writeFileSync(secretFile, 'bench secret');
const lab = NetnsLab.create(['driver', 'exec1', 'exec2']);
process.on('exit', () => {
  lab.destroy();
  rmSync(scratch, { recursive: true, force: true });
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

function counted(outFile: string): number {
  if (!existsSync(outFile)) return 0;
  let n = 0;
  for (const line of readFileSync(outFile, 'utf8').split('\n')) {
    if (line) for (const [, c] of (JSON.parse(line) as { counts: [string, number][] }).counts) n += c;
  }
  return n;
}

/** One run: returns words per second from the first line sent to the last word counted. */
async function runOnce(where: 'local' | 'namespaces', round: number): Promise<number> {
  // The source writes everything as fast as the receiver reads it.
  const block = Buffer.from(`${Array.from({ length: 1000 }, () => LINE).join('\n')}\n`);
  let startedAt = 0;
  const server = createServer((socket) => {
    socket.on('error', () => {});
    startedAt = performance.now();
    let sent = 0;
    const pump = () => {
      while (sent < LINES) {
        sent += 1000;
        if (!socket.write(block)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const listenPort = 9000 + round * 2 + (where === 'local' ? 0 : 1);
  await lab.expose('driver', lab.address('driver'), listenPort, { host: '127.0.0.1', port }, forwarder);
  const outFile = join(scratch, `${where}-${round}.jsonl`);
  const driverAddress = lab.address('driver');
  const driverPort = 7100 + round * 2 + (where === 'local' ? 0 : 1);
  const common = ['--secret-file', secretFile];
  const env = { ...process.env, SLUICE_SECRET: '', SLUICE_JOB_CACHE: join(scratch, 'jobs') };
  const driver = lab.spawn('driver', process.execPath, [
    sluiceBin, 'submit', '--no-ui', '--driver-host', driverAddress, '--driver-port', String(driverPort), '--executors', '0',
    '--batch-duration', '1s', ...common, job, 'socket', driverAddress, String(listenPort), outFile,
  ], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  driver.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  while (!/waiting for executors/.test(log)) await sleep(50);
  const executors: ChildProcess[] = ['exec1', 'exec2'].map((host) =>
    lab.spawn(where === 'local' ? 'driver' : host, process.execPath, [sluiceBin, 'executor', '--driver', `${driverAddress}:${driverPort}`, ...common], {
      env,
      stdio: 'ignore',
    }),
  );
  const total = LINES * WORDS_PER_LINE;
  const deadline = Date.now() + 300_000;
  while (counted(outFile) < total) {
    if (Date.now() > deadline) throw new Error(`${where}: only ${counted(outFile)} of ${total} words counted in 300 s\n${log}`);
    await sleep(100);
  }
  const seconds = (performance.now() - startedAt) / 1000;
  driver.kill('SIGKILL');
  for (const e of executors) e.kill('SIGKILL');
  server.close();
  await sleep(500);
  return total / seconds;
}

const results: Record<'local' | 'namespaces', number[]> = { local: [], namespaces: [] };
const order: ('local' | 'namespaces')[] = [];
for (let r = 0; r < ROUNDS; r++) order.push(...(r % 2 === 0 ? (['local', 'namespaces'] as const) : (['namespaces', 'local'] as const)));
console.log(`netns-bench: ${LINES} lines (${LINES * WORDS_PER_LINE} words), order ${order.join(' ')}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [i, where] of order.entries()) {
  const rate = await runOnce(where, i);
  results[where].push(rate);
  console.log(`  ${where.padEnd(10)} ${Math.round(rate).toLocaleString('en')} words/s (load ${loadavg()[0]!.toFixed(2)})`);
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ratio = median(results.namespaces) / median(results.local);
console.log(`namespaces / local = ${ratio.toFixed(3)} (medians ${Math.round(median(results.namespaces))} / ${Math.round(median(results.local))} words/s)`);
process.exit(0);
