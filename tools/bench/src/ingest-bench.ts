import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { submit } from '@sluice/cli';
import { spawnJsonChild } from './child';
import { totals } from './jobs/ingest-job';

const USAGE = `Usage: npm run bench -- ingest [--size BYTES] [--seconds S] [--executors N] [--batch-duration D] [--block-interval D] [--json]

Streams length-prefixed messages of --size bytes over TCP for --seconds into
socketStream(...).map(m => m.length).reduce(+) on the executors, checks the sum, and
compares with a bare Node reader parsing the same frames from the same sender.
`;

async function measureRaw(size: number, seconds: number) {
  const sender = spawnJsonChild('./frame-sender.ts', [String(size), String(seconds)]);
  const { port } = await sender.next();
  const reader = spawnJsonChild('./raw-reader.ts', [String(port)]);
  const [sent, read] = await Promise.all([sender.next(), reader.next()]);
  if (read.messages !== sent.messages) throw new Error(`raw reader read ${read.messages} of ${sent.messages} messages`);
  return { messages: read.messages!, seconds: read.seconds! };
}

async function measureEngine(size: number, seconds: number, conf: Record<string, unknown>) {
  const sender = spawnJsonChild('./frame-sender.ts', [String(size), String(seconds)]);
  const { port } = await sender.next();
  let receiverStart = 0;
  totals.onReceiverStart = () => (receiverStart = performance.now());
  const { ssc } = await submit({
    job: fileURLToPath(new URL('./jobs/ingest-job.ts', import.meta.url)),
    args: [String(port)],
    // The sender closes when done; no reconnect attempts during the measurement.
    conf: { receiverRestartDelay: 600_000, ...conf },
    log: (line: string) => {
      if (!line.includes('closed the connection') && !line.includes('restarting receiver')) process.stderr.write(`sluice: ${line}\n`);
    },
  });
  // The clock starts when the receiver starts, not when the executors are launched.
  const started = receiverStart;
  const sent = await sender.next();
  const receivedAll = () => (performance.now() - started) / 1000;
  // The sender is done when its bytes are in the kernel; the receiver may still be reading.
  // A graceful stop stops receiving at once, so first wait until everything sent is stored.
  const receiver = ssc.receivers[0]!;
  const deadline = Date.now() + 60_000;
  while (receiver.recordsStored < sent.messages! && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const receiveSeconds = receivedAll();
  await ssc.stop({ graceful: true });
  const secondsTaken = (totals.lastBatchDone - started) / 1000;
  const expectedSum = sent.messages! * size;
  if (totals.sum !== expectedSum) {
    throw new Error(`engine sum ${totals.sum} != expected ${expectedSum} (${sent.messages} messages of ${size} bytes)`);
  }
  return { messages: sent.messages!, seconds: secondsTaken, receiveSeconds, batches: totals.batches };
}

export async function ingestBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '5' },
      executors: { type: 'string', default: '2' },
      'batch-duration': { type: 'string', default: '1s' },
      'block-interval': { type: 'string', default: '200ms' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const size = Number(values.size);
  const seconds = Number(values.seconds);
  if (!(size > 0) || !(seconds > 0)) throw new Error('--size and --seconds must be positive numbers');
  const raw = await measureRaw(size, seconds);
  const engine = await measureEngine(size, seconds, {
    executors: Number(values.executors),
    batchDuration: values['batch-duration'],
    blockInterval: values['block-interval'],
  });
  const rawRate = raw.messages / raw.seconds;
  const engineRate = engine.messages / engine.seconds;
  const result = {
    bench: 'ingest',
    size,
    seconds,
    executors: Number(values.executors),
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
      `ingest ${size} B messages, ${seconds} s: engine ${result.engine_msgs_per_s} msg/s (${result.engine_mb_per_s} MB/s), ` +
        `bare reader ${result.raw_msgs_per_s} msg/s (${result.raw_mb_per_s} MB/s), ratio ${result.ratio}\n`,
    );
  }
}
