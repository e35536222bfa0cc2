/**
 * The chaos run: a SequenceSender (a reliable socket source) or a SequenceDevice (device
 * frames over a Unix socket into the device receiver) feeds the chaos job (a running count
 * per key, with the write-ahead log and a checkpoint directory) run by `sluice submit` as
 * a child process;
 * meanwhile executors are killed (kill -9) at random times, and the driver is killed
 * (kill -9) and started again with the same checkpoint directory. At the end the source
 * stops, the job drains, and the independent checker reads the outputs.
 *
 *   npm run chaos -- --seconds 120 [--rate 400] [--keys 50] [--kill-every 6] [--device]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOutputs, type CheckResult } from './chaos-checker.js';
import { SequenceDevice } from './sequence-device.js';
import { SequenceSender } from './sequence-sender.js';

const here = dirname(fileURLToPath(import.meta.url));
const SLUICE = resolve(here, '../../packages/cli/bin/sluice.mjs');
const JOB = join(here, 'chaos-job.ts');

export interface ChaosOptions {
  /** socket (default): the reliable line receiver; device: the device receiver, acknowledging. */
  source?: 'socket' | 'device';
  seconds: number;
  rate: number;
  keys: number;
  /** Mean seconds between kills; kills alternate between an executor and the driver. */
  killEverySeconds: number;
  batchDuration: string;
  /** Seed of the kill schedule. */
  seed: number;
  keepDir?: boolean;
  log: (line: string) => void;
}

export interface KillRecord {
  kind: 'executor' | 'driver';
  atSecond: number;
  /** Driver kills: from the restart to the first new batch completed (the driver's own figure). */
  recoveryMs?: number;
  /** Of which loading the job module (before start()). */
  moduleLoadMs?: number;
  /** The driver's own line: when each step of its start() ended. */
  breakdown?: string;
}

export interface ChaosReport {
  options: Omit<ChaosOptions, 'log'>;
  kills: KillRecord[];
  check: CheckResult;
  resentBySource: number;
  drainedInMs: number;
  workDir: string;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const work = mkdtempSync(join(tmpdir(), 'sluice-chaos-'));
  const checkpoint = join(work, 'checkpoint');
  const out = join(work, 'out');
  const sender =
    options.source === 'device' ? new SequenceDevice(join(work, 'device.sock'), options.keys, options.rate) : new SequenceSender(options.keys, options.rate);
  await sender.start();
  const jobArgs = sender instanceof SequenceDevice ? ['device', sender.path, out] : ['socket', String(sender.port), out];
  const kills: KillRecord[] = [];
  let random = options.seed >>> 0 || 1;
  const next = () => (random = (Math.imul(random, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const driverLog = createWriteStream(join(work, 'driver.log'));
  let driver: Driver = startDriver(checkpoint, jobArgs, options, driverLog);
  let started = Date.now();
  try {
    await driver.ready;
    // The kill schedule starts once the job runs (starting it under load can take seconds).
    started = Date.now();
    let kind: 'executor' | 'driver' = 'executor';
    while (Date.now() - started < options.seconds * 1000) {
      const wait = options.killEverySeconds * 1000 * (0.5 + next());
      await sleep(Math.min(wait, Math.max(0, options.seconds * 1000 - (Date.now() - started))));
      if (Date.now() - started >= options.seconds * 1000) break;
      const atSecond = Math.round((Date.now() - started) / 100) / 10;
      if (kind === 'executor') {
        const pids = childPids(driver.child.pid!);
        if (pids.length > 0) {
          const pid = pids[Math.floor(next() * pids.length)]!;
          process.kill(pid, 'SIGKILL');
          kills.push({ kind, atSecond });
          options.log(`${atSecond}s: killed executor process ${pid}`);
        }
        kind = 'driver';
      } else {
        const record: KillRecord = { kind, atSecond };
        kills.push(record);
        driver.child.kill('SIGKILL');
        await driver.exited;
        options.log(`${atSecond}s: killed the driver (kill -9); restarting it with the same checkpoint directory`);
        // Executors notice the lost driver and exit by themselves; the new driver starts its own.
        driver = startDriver(checkpoint, jobArgs, options, driverLog);
        void driver.recovered.then((r) => {
          record.recoveryMs = r.totalMs;
          record.moduleLoadMs = r.loadMs;
          record.breakdown = r.breakdown;
        });
        await driver.ready;
        kind = 'executor';
      }
    }
    sender.stopProducing();
    const produced = sender.totalProduced;
    options.log(`source stopped after ${produced} records; waiting for the job to process them all`);
    const drainStart = Date.now();
    let check = checkOutputs(out, produced, options.keys);
    while (check.lost > 0 && Date.now() - drainStart < 60_000) {
      await sleep(500);
      check = checkOutputs(out, produced, options.keys);
    }
    const drainedInMs = Date.now() - drainStart;
    driver.child.kill('SIGTERM');
    await driver.exited;
    check = checkOutputs(out, produced, options.keys);
    const ok = check.lost === 0 && check.duplicateOutputs === 0 && check.keysWithWrongCounts.length === 0 && check.unknownRecords === 0;
    // A failed run keeps its directory (driver.log, checkpoint, outputs) for a look.
    if (ok && !options.keepDir) rmSync(work, { recursive: true, force: true });
    return {
      options: { ...options, log: undefined } as unknown as Omit<ChaosOptions, 'log'>,
      kills,
      check,
      resentBySource: sender.resent,
      drainedInMs,
      workDir: work,
    };
  } finally {
    if (driver.child.exitCode === null) driver.child.kill('SIGKILL');
    await sender.close();
    driverLog.end();
  }
}

export interface Driver {
  child: ChildProcess;
  /** Resolves when the driver has started its stream (or recovered). */
  ready: Promise<void>;
  /** The driver's own recovery figure: ms from its start to the first new batch completed. */
  recovered: Promise<Recovered>;
  exited: Promise<void>;
}

export interface Recovered {
  totalMs: number;
  loadMs: number;
  breakdown: string;
}

export function startDriver(checkpoint: string, jobArgs: string[], o: { batchDuration: string }, log: NodeJS.WritableStream, flags: string[] = ['--wal']): Driver {
  const child = spawn(
    process.execPath,
    [
      SLUICE,
      'submit',
      '--checkpoint',
      checkpoint,
      ...flags,
      '--batch-duration',
      o.batchDuration,
      '--block-interval',
      '100ms',
      '--executors',
      '2',
      '--conf',
      'maxExecutorRestarts=100000',
      JOB,
      ...jobArgs,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let readyResolve!: () => void;
  let recoveredResolve!: (v: Recovered) => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const recovered = new Promise<Recovered>((r) => (recoveredResolve = r));
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    log.write(text);
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (/sluice: started /.test(line)) readyResolve();
      const m = /recovery: first new batch \(\d+\) completed (\d+) ms after the driver process started \((\d+) ms to load/.exec(line);
      if (m) recoveredResolve({ totalMs: Number(m[1]), loadMs: Number(m[2]), breakdown: line.slice(line.indexOf('recovery:')) });
    }
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  void exited.then(() => readyResolve());
  return { child, ready, recovered, exited };
}

/** Child processes of `pid` (Linux /proc): the driver's executors. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function formatReport(r: ChaosReport): string {
  const c = r.check;
  const driverKills = r.kills.filter((k) => k.kind === 'driver');
  const recoveries = driverKills.filter((k) => k.recoveryMs !== undefined);
  return [
    `chaos run (${r.options.source ?? 'socket'} source): ${r.options.seconds} s, ${r.options.rate} records/s over ${r.options.keys} keys, batch ${r.options.batchDuration}`,
    `kills: ${r.kills.filter((k) => k.kind === 'executor').length} executor(s), ${driverKills.length} driver(s) (kill -9)`,
    `records in ${c.recordsIn}, records out ${c.recordsOut}, lost ${c.lost}, duplicate deliveries (at-least-once source) ${c.duplicateDeliveries}, duplicate outputs ${c.duplicateOutputs}`,
    `per-key counts exact: ${c.keysWithWrongCounts.length === 0 ? 'yes' : `NO (${c.keysWithWrongCounts.join(', ')})`}; unknown records ${c.unknownRecords}; batch files ${c.batchFiles}`,
    `records resent by the source after reconnects: ${r.resentBySource}; drained ${r.drainedInMs} ms after the source stopped`,
    `recovery per driver kill (driver process start to first new batch completed, of which module load): ${
      recoveries.length ? recoveries.map((k) => `${k.recoveryMs} ms (${k.moduleLoadMs} ms)`).join(', ') : 'n/a'
    }`,
    ...recoveries.map((k) => `  driver kill at ${k.atSecond}s: ${k.breakdown}`),
    ...c.examples.map((e) => `  ${e}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--kafka')) return kafkaMain(argv);
  const opt = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : def;
  };
  const report = await runChaos({
    source: argv.includes('--device') ? 'device' : 'socket',
    seconds: opt('seconds', 60),
    rate: opt('rate', 400),
    keys: opt('keys', 50),
    killEverySeconds: opt('kill-every', 6),
    batchDuration: argv.includes('--batch') ? argv[argv.indexOf('--batch') + 1]! : '1s',
    seed: opt('seed', Date.now() % 100000),
    keepDir: argv.includes('--keep'),
    log: (l) => process.stderr.write(`chaos: ${l}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  const ok = report.check.lost === 0 && report.check.duplicateOutputs === 0 && report.check.keysWithWrongCounts.length === 0 && report.check.unknownRecords === 0;
  process.stdout.write(ok ? 'PASS\n' : `FAIL (work dir ${report.workDir})\n`);
  return ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`chaos: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}

async function kafkaMain(argv: string[]): Promise<number> {
  const { runKafkaChaos, formatKafkaReport } = await import('./kafka-chaos.js');
  const opt = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : def;
  };
  const r = await runKafkaChaos({
    seconds: opt('seconds', 60),
    rate: opt('rate', 300),
    keys: opt('keys', 30),
    killEverySeconds: opt('kill-every', 8),
    batchDuration: argv.includes('--batch') ? argv[argv.indexOf('--batch') + 1]! : '1s',
    maxRatePerPartition: opt('max-rate-per-partition', 500),
    brokerKills: !argv.includes('--no-broker-kills'),
    log: (l) => process.stderr.write(`chaos: ${l}\n`),
  });
  process.stdout.write(`${formatKafkaReport(r)}\n`);
  const c = r.check;
  const ok = c.lost === 0 && c.duplicateOutputs === 0 && c.duplicateDeliveries === 0 && c.keysWithWrongCounts.length === 0 && c.unknownRecords === 0;
  process.stdout.write(ok ? 'PASS\n' : `FAIL (work dir ${r.workDir})\n`);
  return ok ? 0 : 1;
}
