import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { submit } from '@sluice/cli';
import { progress } from './jobs/checkpoint-bench-job.js';

const USAGE = `Usage: npm run bench -- checkpoint [--job network|stateful] [--checkpoint on|off]
                                 [--lines N] [--words-per-line N] [--vocabulary N]
                                 [--executors N] [--batch-duration D] [--json]

The network word count (--job network: reduceByKey per batch) or the stateful word count
(--job stateful: a running count per word with mapWithState) over a socket text stream.
A local server sends --lines lines (default 400000) of --words-per-line words (default
10) drawn from --vocabulary words (default 1000) as fast as the receiver takes them; the
figure is words counted per second, from the receiver's connection to the last word
counted. --checkpoint on runs the job with a checkpoint directory (sluice submit
--checkpoint: a metadata checkpoint every batch, state data checkpoints at the default
interval, 10 s); off runs it without (the stateful job still checkpoints its state, to a
temporary directory: a state stream's lineage must be cut, as Spark requires too).
Compare runs alternated on and off (A B B A).
`;

export async function checkpointBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      job: { type: 'string', default: 'network' },
      checkpoint: { type: 'string', default: 'off' },
      lines: { type: 'string', default: '400000' },
      'words-per-line': { type: 'string', default: '10' },
      vocabulary: { type: 'string', default: '1000' },
      executors: { type: 'string', default: '2' },
      'batch-duration': { type: 'string', default: '1s' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const job = values.job;
  if (job !== 'network' && job !== 'stateful') throw new Error('--job is network or stateful');
  if (values.checkpoint !== 'on' && values.checkpoint !== 'off') throw new Error('--checkpoint is on or off');
  const lines = Number(values.lines);
  const perLine = Number(values['words-per-line']);
  const vocabulary = Number(values.vocabulary);
  if (!(lines > 0 && perLine > 0 && vocabulary > 0)) throw new Error('--lines, --words-per-line and --vocabulary must be positive');
  const expected = lines * perLine;

  const { server, port, connected } = await startTextServer(lines, perLine, vocabulary);
  const dir = values.checkpoint === 'on' ? mkdtempSync(join(tmpdir(), 'sluice-checkpoint-bench-')) : null;
  const loadStart = loadavg();
  progress.words = 0;
  const { ssc } = await submit({
    job: fileURLToPath(new URL('./jobs/checkpoint-bench-job.ts', import.meta.url)),
    args: [job, String(port)],
    conf: { executors: Number(values.executors), batchDuration: values['batch-duration'], appName: 'checkpoint-bench', receiverRestartDelay: 600_000 },
    ...(dir ? { checkpointDir: dir } : {}),
    log: (line) => process.stderr.write(`sluice: ${line}\n`),
  });
  try {
    const started = await connected;
    const deadline = Date.now() + 600_000;
    while (progress.words < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - started) / 1000;
    if (progress.words !== expected) throw new Error(`counted ${progress.words} words, expected ${expected}`);
    const result = {
      bench: 'checkpoint',
      job,
      checkpoint: values.checkpoint,
      lines,
      words: expected,
      batch_duration: values['batch-duration'],
      executors: Number(values.executors),
      seconds: Number(seconds.toFixed(2)),
      words_per_s: Math.round(expected / seconds),
      batches: ssc.completedBatches.length,
      ...metadataWrites(ssc.metadataCheckpointStats),
      load_start: loadStart.map((l) => Number(l.toFixed(2))),
      load_end: loadavg().map((l) => Number(l.toFixed(2))),
    };
    process.stdout.write(`${values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2)}\n`);
  } finally {
    await ssc.stop();
    server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** What the metadata checkpoints cost the driver: writes, their mean time (serialize, write, fsync, rename), bytes. */
function metadataWrites(stats: { writes: number; totalMs: number; bytes: number; requests: number } | null) {
  if (!stats || stats.writes === 0) return {};
  return {
    metadata_writes: stats.writes,
    // Generations and completions recorded: several share a write when they come during one.
    metadata_write_requests: stats.requests,
    metadata_write_mean_ms: Number((stats.totalMs / stats.writes).toFixed(1)),
    metadata_bytes_mean: Math.round(stats.bytes / stats.writes),
  };
}

/** Serves the text once, to the first connection, as fast as it is read; resolves `connected` with the time it connected. */
async function startTextServer(lines: number, perLine: number, vocabulary: number): Promise<{ server: Server; port: number; connected: Promise<number> }> {
  const words = Array.from({ length: vocabulary }, (_, i) => `w${i.toString(36)}`);
  let resolveConnected!: (t: number) => void;
  const connected = new Promise<number>((resolve) => (resolveConnected = resolve));
  let served = false;
  const server = createServer((socket: Socket) => {
    if (served) return void socket.destroy();
    served = true;
    resolveConnected(performance.now());
    void send(socket);
  });
  const send = async (socket: Socket) => {
    let w = 0;
    const chunkLines = 1000;
    for (let i = 0; i < lines; i += chunkLines) {
      const parts: string[] = [];
      for (let j = i; j < Math.min(lines, i + chunkLines); j++) {
        const line: string[] = [];
        for (let k = 0; k < perLine; k++) line.push(words[(w++ * 7919) % vocabulary]!);
        parts.push(line.join(' '));
      }
      if (!socket.write(`${parts.join('\n')}\n`)) await new Promise((resolve) => socket.once('drain', resolve));
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, connected };
}
