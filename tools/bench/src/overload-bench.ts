import { percentile, rssMb } from './sample-stats.js';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { submit } from '@sluice/cli';
import type { BatchInfo } from '@sluice/streaming';
import { progress } from './jobs/overload-bench-job.js';

const USAGE = `Usage: npm run bench -- overload [--capacity R] [--factor F] [--seconds S]
                               [--batch-duration D] [--executors N] [--initial-rate R] [--json]

Input at --factor (default 2) times what the job can process, for --seconds (default
120), with backpressure on. The job counts lines of 100 B on --executors executors
(default 2) and then spends 1/--capacity seconds per record (default 20000 records/s), so
its capacity is known. A paced sender offers factor x capacity lines per second and
writes only what the socket takes (TCP holds it back when the receiver pauses).

Prints: when the controller settled (the first batch from which every scheduling delay
stays within 2 batch durations), the scheduling delay after that (median, p95, max)
against 2 batch durations, the rate taken in after settling against the capacity, the RSS
of the driver and of each executor sampled every 5 s (first and last sample after
settling, max, and slope in MB per minute), and lines written against lines counted after
a graceful stop (nothing lost: equal).
`;

const LINE = 100;



/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Offers `rate` lines a second to the first client; counts the lines the socket took. */
class PacedSender {
  written = 0;
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly server = createServer((socket) => this.accept(socket));
  private readonly chunk: Buffer;
  private readonly perChunk = 100;
  private startedAt = 0;
  private offered = 0;

  constructor(private readonly rate: number) {
    const line = Buffer.alloc(LINE, 'x');
    line[LINE - 1] = 10;
    this.chunk = Buffer.concat(Array.from({ length: this.perChunk }, () => line));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Lines the rate asked for that the socket did not take (the sender's own backlog, not sent). */
  get heldBack(): number {
    return this.offered - this.written;
  }

  private accept(socket: Socket): void {
    socket.on('error', () => {});
    if (this.socket) return; // a reconnect gets nothing: no line twice
    this.socket = socket;
    this.startedAt = performance.now();
    const tick = () => {
      const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.rate);
      this.offered = due;
      // Only what the socket takes now: a paused receiver leaves the rest unsent.
      while (this.written + this.perChunk <= due && !socket.writableNeedDrain) {
        socket.write(this.chunk);
        this.written += this.perChunk;
      }
    };
    this.timer = setInterval(tick, 5);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await new Promise<void>((resolve) => (this.socket ? this.socket.end(resolve) : resolve()));
    this.server.close();
  }
}

export async function overloadBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      capacity: { type: 'string', default: '20000' },
      factor: { type: 'string', default: '2' },
      seconds: { type: 'string', default: '120' },
      'batch-duration': { type: 'string', default: '1s' },
      executors: { type: 'string', default: '2' },
      'initial-rate': { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const capacity = Number(values.capacity);
  const factor = Number(values.factor);
  const seconds = Number(values.seconds);
  const executors = Number(values.executors);
  const initialRate = Number(values['initial-rate']);
  if (!(capacity > 0 && factor > 0 && seconds >= 20 && executors >= 1 && initialRate >= 0)) {
    throw new Error('--capacity, --factor, --executors must be positive, --seconds >= 20, --initial-rate >= 0');
  }
  const loadStart = loadavg();
  const sender = new PacedSender(capacity * factor);
  const port = await sender.listen();
  const { ssc, pool } = await submit({
    job: fileURLToPath(new URL('./jobs/overload-bench-job.ts', import.meta.url)),
    args: ['127.0.0.1', String(port), String(capacity)],
    conf: {
      executors,
      batchDuration: values['batch-duration'],
      backpressureEnabled: true,
      backpressureInitialRate: initialRate,
      appName: 'overload-bench',
    },
    log: (line) => process.stderr.write(`sluice: ${line}\n`),
  });
  const batchMs = ssc.conf.batchDurationMs;
  const batches: BatchInfo[] = [];
  ssc.addStreamingListener({ onBatchCompleted: ({ batchInfo }) => batches.push(batchInfo) });
  const pids = (): [string, number][] => [['driver', process.pid], ...Object.entries(pool?.localExecutorPids ?? {})];
  const started = Date.now();
  const rss: { s: number; mb: Record<string, number> }[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (Date.now() - started < seconds * 1000) {
    await sleep(5000);
    const s = Math.round((Date.now() - started) / 1000);
    rss.push({ s, mb: Object.fromEntries(pids().map(([name, pid]) => [name, Math.round(rssMb(pid))])) });
    const last = batches.at(-1);
    process.stderr.write(
      `overload bench: ${s} s, ${progress.batches} batches, written ${sender.written}, counted ${progress.counted}, held back ${sender.heldBack}` +
        `${last ? `, last batch ${last.numRecords} records at rate ${Object.values(last.streamIdToInputInfo)[0]?.rateLimit ?? '-'} (delay ${last.schedulingDelay}+${last.processingDelay} ms)` : ''}, RSS ${JSON.stringify(rss.at(-1)!.mb)} MB\n`,
    );
  }
  const heldBackAtEnd = sender.heldBack;
  await sender.close();
  const written = sender.written;
  const deadline = Date.now() + 120_000;
  while (progress.counted < written && Date.now() < deadline) await sleep(200);
  await ssc.stop({ graceful: true });
  const loadEnd = loadavg();

  // Settled: the first batch from which every scheduling delay stays within 2 batch durations.
  const runBatches = batches.filter((b) => b.batchTime <= started + seconds * 1000);
  let settledAt = runBatches.length;
  for (let i = runBatches.length - 1; i >= 0; i--) {
    if ((runBatches[i]!.schedulingDelay ?? 0) > 2 * batchMs) break;
    settledAt = i;
  }
  const firstTime = runBatches[0]?.batchTime ?? started;
  const settled = runBatches.slice(settledAt);
  const settleS = settled[0] ? (settled[0].batchTime - firstTime) / 1000 : null;
  const delays = settled.map((b) => b.schedulingDelay ?? 0);
  const takenIn = settled.reduce((n, b) => n + b.numRecords, 0);
  const settledSpanS = settled.length > 0 ? (settled.length * batchMs) / 1000 : 0;
  const afterSettle = rss.filter((r) => settleS !== null && r.s >= settleS + 5);
  const names = Object.keys(rss.at(-1)?.mb ?? {});
  const memory = Object.fromEntries(
    names.map((name) => {
      const pts = afterSettle.map((r) => [r.s / 60, r.mb[name] ?? Number.NaN] as [number, number]).filter(([, y]) => Number.isFinite(y));
      return [
        name,
        {
          first_mb: pts[0]?.[1] ?? null,
          last_mb: pts.at(-1)?.[1] ?? null,
          max_mb: pts.length ? Math.max(...pts.map(([, y]) => y)) : null,
          slope_mb_per_min: Number(slope(pts).toFixed(2)),
        },
      ];
    }),
  );
  const result = {
    bench: 'overload',
    capacity,
    offered_per_s: capacity * factor,
    factor,
    seconds,
    batch_ms: batchMs,
    executors,
    initial_rate: initialRate,
    batches: runBatches.length,
    settled_after_s: settleS,
    settled_in_first_half: settleS !== null && settleS <= seconds / 2,
    sched_delay_after_settle_ms: { median: percentile(delays, 0.5), p95: percentile(delays, 0.95), max: delays.length ? Math.max(...delays) : null },
    sched_delay_bound_ms: 2 * batchMs,
    taken_in_after_settle_per_s: settledSpanS > 0 ? Math.round(takenIn / settledSpanS) : null,
    taken_over_capacity: settledSpanS > 0 ? Number((takenIn / settledSpanS / capacity).toFixed(3)) : null,
    sender_held_back_lines: heldBackAtEnd,
    lines_written: written,
    lines_counted: progress.counted,
    lost: written - progress.counted,
    rss_mb: memory,
    rss_samples: rss,
    rates: runBatches.map((b) => Object.values(b.streamIdToInputInfo)[0]?.rateLimit ?? null),
    sched_delays_ms: runBatches.map((b) => b.schedulingDelay),
    load_start: loadStart.map((l) => Number(l.toFixed(2))),
    load_end: loadEnd.map((l) => Number(l.toFixed(2))),
  };
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
  if (result.lost !== 0) throw new Error(`${written} lines written, ${progress.counted} counted`);
}
