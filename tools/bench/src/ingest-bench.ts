import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSecondsBetween, processTreeCpu } from './process-tree-cpu.js';
import { submitMeasured } from './submit-measured.js';
import type { StreamingContext } from '@sluice/streaming';
import { spawnJsonChild } from './child.js';
import { defaultBlockRecords, INGEST_SOURCES, startSender, type IngestSource, type SenderOptions } from './ingest-sources.js';
import { totals } from './jobs/ingest-source-job.js';

const MAX_SIZE = 10_000_000;

const USAGE = `Usage: npm run bench -- ingest [--source socket|raw|device] [--transport unix|fifo] [--block-records N]
                             [--size BYTES] [--seconds S] [--executors N] [--batch-duration D] [--block-interval D]
                             [--placement executor|driver] [--replication 1|2] [--wal] [--json]

Streams messages of --size bytes (1 to ${MAX_SIZE}) for --seconds into a stream whose
records are mapped to their lengths and summed on the executors, checks the sum, and
compares with a bare Node reader parsing the same bytes from the same kind of sender:

  socket  length-prefixed messages over TCP into socketStream (default)
  raw     raw blocks over TCP into rawSocketStream: --block-records per block (default
          1000, fewer when a block would pass 4 MiB); each block becomes a partition
  device  device frames (sync word, sequence, length, CRC-32) over a Unix socket
          (--transport unix, default) or a FIFO (--transport fifo) into the device receiver

--wal turns the receiver write-ahead log on (receiverWriteAheadLog, with a checkpoint
directory in a temporary directory; it needs --placement driver): every block is written
and fsynced before it counts as received. Compare runs with and without it.

--placement is the context's receiverPlacement (default here: executor, the fast path
for large messages) and --replication its blockReplication (default here: 1). The engine
holds about a batch of data in memory: for large messages, runs of 15 s or more measure
the steady state rather than the first touch of that memory.
`;

async function measureBare(source: IngestSource, options: SenderOptions) {
  const started = await startSender(source, options);
  try {
    const reader = spawnJsonChild(started.reader.file, started.reader.args);
    const [sent, read] = await Promise.all([started.sender.next(), reader.next()]);
    if (read.messages !== sent.messages) throw new Error(`bare reader read ${read.messages} of ${sent.messages} messages`);
    const expectedBytes = sent.messages! * options.size;
    if (read.bytes !== expectedBytes) throw new Error(`bare reader read ${read.bytes} bytes, expected ${expectedBytes}`);
    return { messages: read.messages!, seconds: read.seconds! };
  } finally {
    started.cleanup();
  }
}

export async function measureEngine(
  source: IngestSource,
  options: SenderOptions,
  conf: Record<string, unknown>,
  /** Called before the context starts (the UI benchmark attaches the web UI here). */
  beforeStart?: (ssc: StreamingContext) => Promise<void>,
) {
  const started = await startSender(source, options);
  try {
    const job = fileURLToPath(new URL('./jobs/ingest-source-job.ts', import.meta.url));
    const { ssc, clockStart, cpuStart } = await submitMeasured(job, started.jobArgs, conf, totals, beforeStart);
    const sent = await started.sender.next();
    const receivedAll = () => (performance.now() - clockStart) / 1000;
    // The sender is done when its bytes are in the kernel; the receiver may still be reading.
    // A graceful stop stops receiving at once, so first wait until everything sent is stored.
    const receiver = ssc.receivers[0]!;
    const deadline = Date.now() + 60_000;
    while (receiver.recordsStored < sent.messages! && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (receiver.recordsStored < sent.messages!) {
      throw new Error(`the receiver stored ${receiver.recordsStored} of ${sent.messages} messages within 60 s of the sender finishing`);
    }
    const receiveSeconds = receivedAll();
    await ssc.stop({ graceful: true });
    // Through the stop, so that the executors' share is in (reaped, they count in this process's children's time).
    const cpuSeconds = cpuSecondsBetween(cpuStart, processTreeCpu());
    const secondsTaken = (totals.lastBatchDone - clockStart) / 1000;
    const expectedSum = sent.messages! * options.size;
    if (totals.sum !== expectedSum) {
      throw new Error(`engine sum ${totals.sum} != expected ${expectedSum} (${sent.messages} messages of ${options.size} bytes)`);
    }
    return { messages: sent.messages!, seconds: secondsTaken, receiveSeconds, batches: totals.batches, cpuSeconds };
  } finally {
    started.cleanup();
  }
}

export async function ingestBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string', default: 'socket' },
      transport: { type: 'string', default: 'unix' },
      'block-records': { type: 'string' },
      size: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '5' },
      executors: { type: 'string', default: '2' },
      'batch-duration': { type: 'string', default: '1s' },
      'block-interval': { type: 'string', default: '200ms' },
      placement: { type: 'string', default: 'executor' },
      replication: { type: 'string', default: '1' },
      wal: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const source = values.source as IngestSource;
  if (!INGEST_SOURCES.includes(source)) throw new Error(`--source must be one of ${INGEST_SOURCES.join(', ')}, got ${values.source}`);
  const transport = values.transport;
  if (transport !== 'unix' && transport !== 'fifo') throw new Error(`--transport must be unix or fifo, got ${values.transport}`);
  const size = Number(values.size);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) throw new Error(`--size must be an integer from 1 to ${MAX_SIZE}, got ${values.size}`);
  if (!(seconds > 0)) throw new Error('--seconds must be a positive number');
  const blockRecords = values['block-records'] === undefined ? defaultBlockRecords(size) : Number(values['block-records']);
  if (!(Number.isInteger(blockRecords) && blockRecords >= 1)) {
    throw new Error(`--block-records must be a positive integer, got ${values['block-records']}`);
  }
  const options: SenderOptions = { size, seconds, transport, blockRecords };
  const raw = await measureBare(source, options);
  const placement = values.placement;
  if (placement !== 'driver' && placement !== 'executor') throw new Error(`--placement must be driver or executor, got ${placement}`);
  const replication = Number(values.replication);
  if (replication !== 1 && replication !== 2) throw new Error(`--replication must be 1 or 2, got ${values.replication}`);
  const walDir = values.wal ? mkdtempSync(join(tmpdir(), 'sluice-ingest-wal-')) : null;
  const engine = await measureEngine(source, options, {
    executors: Number(values.executors),
    batchDuration: values['batch-duration'],
    blockInterval: values['block-interval'],
    receiverPlacement: placement,
    blockReplication: replication,
    ...(walDir ? { receiverWriteAheadLog: true, checkpointDir: walDir } : {}),
  }).finally(() => {
    if (walDir) rmSync(walDir, { recursive: true, force: true });
  });
  const rawRate = raw.messages / raw.seconds;
  const engineRate = engine.messages / engine.seconds;
  const result = {
    bench: 'ingest',
    source,
    ...(source === 'device' ? { transport } : {}),
    ...(source === 'raw' ? { block_records: blockRecords } : {}),
    size,
    seconds,
    executors: Number(values.executors),
    placement,
    ...(placement === 'executor' ? { replication } : {}),
    wal: values.wal,
    engine_msgs_per_s: Math.round(engineRate),
    raw_msgs_per_s: Math.round(rawRate),
    ratio: Number((engineRate / rawRate).toFixed(3)),
    engine_mb_per_s: Number(((engineRate * size) / 1e6).toFixed(1)),
    raw_mb_per_s: Number(((rawRate * size) / 1e6).toFixed(1)),
    engine_messages: engine.messages,
    receive_msgs_per_s: Math.round(engine.messages / engine.receiveSeconds),
    batches: engine.batches,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      `ingest ${source}${source === 'device' ? ` (${transport})` : ''}, ${size} B messages, ${seconds} s: ` +
        `engine ${result.engine_msgs_per_s} msg/s (${result.engine_mb_per_s} MB/s), ` +
        `bare reader ${result.raw_msgs_per_s} msg/s (${result.raw_mb_per_s} MB/s), ratio ${result.ratio}\n`,
    );
  }
}
