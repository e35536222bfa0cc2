import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchInfo } from '@sluice/streaming';
import { EventLogTail } from './event-tail.js';
import { blockIntervalMs, formatMs, type GridPoint } from './grid.js';
import { RateSender } from './rate-sender.js';
import type { RecordCycle } from './records.js';
import { judgeWindow, type BatchSample, type WindowVerdict } from './sustained.js';

const SLUICE_BIN = fileURLToPath(new URL('../../bin/sluice.mjs', import.meta.url));
const POLL_MS = 100;

/**
 * Process groups of the jobs running now. Each job runs in a group of its own (so the
 * driver and its executors stop together), which a Ctrl-C in the terminal does not reach:
 * when tune exits, for whatever reason, it stops them itself.
 */
const runningGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of runningGroups) killGroup(pid);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export interface JobSpec {
  job: string;
  /** The job's arguments after host and port (and, for images, the inference batch size). */
  jobArgs: string[];
  /** More `sluice submit` options, passed as they are (e.g. --conf=key=value). */
  submitOptions: string[];
  point: GridPoint;
  records: RecordCycle;
}

export interface MeasureOptions {
  rate: number;
  /** Batches ignored after the rate is set (the batch in which it changes is always ignored). */
  warmupBatches: number;
  /** Batches judged after the warm-up. */
  windowBatches: number;
  /** The measurement ends by then, whatever it saw (epoch ms). */
  deadline: number;
  /** Allowance for the driver, the executors and the receiver's connection to start. */
  startupMs: number;
}

export interface TrialResult extends WindowVerdict {
  rate: number;
  /** Wall-clock milliseconds the measurement took. */
  elapsedMs: number;
  /** Records the sender could not send in time (the receiver did not read them). */
  senderBehind: number;
  /** Whether the job was started for this measurement (false: it ran on from a sustained rate). */
  freshStart: boolean;
}

/**
 * One run of the job under `sluice submit` with a grid point's configuration, fed by a
 * rate-controlled sender. A run measures rate after rate while the job keeps up (raising
 * the rate needs no restart, as the stream benchmarks' throttling tools do); once it falls
 * behind, its backlog would spoil the next measurement, so it is stopped.
 */
export class JobSession {
  private readonly sender: RateSender;
  private readonly logDir = mkdtempSync(join(tmpdir(), 'sluice-tune-'));
  private readonly tail = new EventLogTail(this.logDir);
  private readonly completed: BatchSample[] = [];
  private readonly stderrTail: string[] = [];
  private child: ChildProcess | null = null;
  private exitCode: number | null | undefined;
  private submitted = 0;
  private measured = 0;

  private constructor(private readonly spec: JobSpec, rate: number) {
    this.sender = new RateSender(spec.records, rate);
  }

  static async start(spec: JobSpec, rate: number): Promise<JobSession> {
    const session = new JobSession(spec, rate);
    const port = await session.sender.listen();
    const args = [
      SLUICE_BIN, 'submit', '--no-ui', '--event-log', session.logDir,
      ...submitArgs(spec.point, spec.submitOptions),
      spec.job, ...jobArgsOf(spec, '127.0.0.1', port),
    ];
    // Its own process group, so the driver and the executors it starts stop together.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    session.child = child;
    if (child.pid !== undefined) runningGroups.add(child.pid);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      session.stderrTail.push(...d.split('\n').filter(Boolean));
      session.stderrTail.splice(0, Math.max(0, session.stderrTail.length - 20));
    });
    child.on('exit', (code) => (session.exitCode = code));
    return session;
  }

  /** Sends at o.rate and judges a window of batches that hold only that rate's records. */
  async measure(o: MeasureOptions): Promise<TrialResult> {
    const started = Date.now();
    const freshStart = this.measured++ === 0;
    this.sender.setRate(o.rate);
    const b = this.spec.point.batchMs;
    const changedAt = Date.now();
    // The window's time limit runs from the first batch that ran a task with data: a fresh
    // job gets o.startupMs to get there (executors starting take longer on a busy machine).
    const windowTime = (o.warmupBatches + o.windowBatches + 3) * b;
    let runningSince = freshStart ? 0 : started;
    const rule = { batchDurationMs: b, rate: o.rate };
    let verdict: WindowVerdict | null = null;
    while (verdict === null) {
      await sleep(POLL_MS);
      this.readEvents();
      // A batch covers (batchTime - b, batchTime]: only those wholly after the change (and,
      // for a fresh start, after the receiver connected) count.
      const from = Math.max(changedAt, this.sender.connectedAt || Infinity);
      const afterWarmup = this.completed.filter((x) => x.batchTime - b >= from).slice(o.warmupBatches);
      // A fresh job may start behind (executors loading a model while data arrives): the
      // window starts once that backlog is gone, which a job that cannot keep up never reaches.
      const caughtUp = freshStart ? afterWarmup.findIndex((x) => x.schedulingDelay <= b / 2) : 0;
      const window = caughtUp < 0 ? [] : afterWarmup.slice(caughtUp);
      const queued = this.submitted - this.completed.length;
      if (runningSince === 0 && this.completed.some((x) => x.numRecords > 0)) runningSince = Date.now();
      const hardEnd = Math.min(o.deadline, runningSince === 0 ? started + o.startupMs : runningSince + windowTime);
      if (this.exitCode !== undefined) {
        verdict = { ...judgeWindow(window, rule), sustained: false, reason: `the job exited (${this.exitCode}): ${this.stderrTail.slice(-3).join(' | ')}` };
      } else if (window.length >= o.windowBatches) {
        verdict = judgeWindow(window.slice(0, o.windowBatches), rule);
      } else if (window.length > 0 && queued > 3) {
        // Batches wait behind the running one: the delay can only grow from here.
        verdict = { ...judgeWindow(window, rule), sustained: false, reason: `${queued} batches queued behind the running one` };
      } else if (Date.now() >= hardEnd) {
        const why =
          runningSince === 0
            ? `no batch with data completed within ${Math.round((Date.now() - started) / 1000)} s (${this.stderrTail.slice(-2).join(' | ') || 'no error printed'})`
            : caughtUp < 0
              ? `the scheduling delay never came down to half a batch after the warm-up (${this.completed.length} batches)`
              : `only ${window.length} of ${o.windowBatches} batches completed in time`;
        verdict = { ...judgeWindow(window, rule), sustained: false, reason: why };
      }
    }
    const { sent, due } = this.sender.stats();
    const senderBehind = Math.max(0, due - sent);
    // Records the socket would not take: the receiver read slower than the rate.
    if (verdict.sustained && senderBehind > o.rate * 0.05) {
      verdict = { ...verdict, sustained: false, reason: `the receiver did not read ${senderBehind} records in time` };
    }
    return { ...verdict, rate: o.rate, elapsedMs: Date.now() - started, senderBehind, freshStart };
  }

  async stop(): Promise<void> {
    if (this.child?.pid !== undefined) {
      killGroup(this.child.pid);
      runningGroups.delete(this.child.pid);
    }
    await this.sender.close();
    rmSync(this.logDir, { recursive: true, force: true });
  }

  private readEvents(): void {
    for (const e of this.tail.poll()) {
      if (e.type === 'onBatchSubmitted') this.submitted++;
      if (e.type !== 'onBatchCompleted') continue;
      const info = (e.payload as { batchInfo: BatchInfo }).batchInfo;
      this.completed.push({
        batchTime: info.batchTime,
        numRecords: info.numRecords,
        schedulingDelay: info.schedulingDelay ?? 0,
        processingDelay: info.processingDelay ?? 0,
        totalDelay: info.totalDelay ?? 0,
      });
    }
  }
}

/** The `sluice submit` options of a grid point (what tune runs, and what it recommends). */
export function submitArgs(point: GridPoint, submitOptions: string[]): string[] {
  return [
    '--batch-duration', formatMs(point.batchMs),
    '--block-interval', formatMs(blockIntervalMs(point)),
    '--executors', String(point.executors),
    '--executor-cores', String(point.cores),
    '--default-parallelism', String(point.partitions),
    ...submitOptions,
  ];
}

/** The job's arguments: host, port, for images the inference batch size, then the user's. */
export function jobArgsOf(spec: { point: GridPoint; jobArgs: string[] }, host: string, port: number | string): string[] {
  const size = spec.point.batchSize === undefined ? [] : [String(spec.point.batchSize)];
  return [host, String(port), ...size, ...spec.jobArgs];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
