import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import {
  choiceOption,
  integerOption,
  parseOptions,
  positiveNumberOption,
  probabilityOption,
  required,
  UsageError,
} from '../cli-args.js';
import type { Command } from '../command.js';
import { DeviceStream, type DeviceFaults } from '../device-stream.js';
import { ImageLibrary } from '../image-library.js';
import { Pacer } from '../pacer.js';
import { imagePayloads, randomPayloads, type PayloadSource } from '../payloads.js';
import { log, Progress } from '../progress.js';
import { serveClients } from '../serve-clients.js';
import { StreamWriter } from '../stream-writer.js';

const MODES = ['fifo', 'unix'] as const;
const DEFAULT_SIZE = 1024;
const DEFAULT_SIZED_COUNT = 1000;
/** Small frames are gathered into writes of about this size: one write per frame would cost a system call each. */
const WRITE_BYTES = 64 * 1024;
const MAX_FRAMES_PER_WRITE = 4096;

const usage = `usage: sluice-sender device --path <path> [options]

Plays an FPGA or NIC device: writes device frames (sync word "SLCE", sequence number,
length, CRC-32, payload) to a FIFO or a Unix domain socket, with faults injected at
random, reproducibly with --seed. When the stream has been written, a JSON line on stderr
says exactly what was injected:
  {"frames_sent":..,"good_frames":..,"bad_crc":..,"garbage_runs":..,"garbage_bytes":..,"dropped_seq":..,"truncated":..}
A receiver using DeviceFramer should report the same: good_frames records, bad_crc
'bad-crc' faults, garbage_runs 'garbage' faults over garbage_bytes bytes, truncated
'truncated' faults and 'sequence-gap' counts adding up to dropped_seq + bad_crc.

options:
  --path <path>        the FIFO or socket path (required)
  --mode <m>           fifo (default): open the FIFO at --path for writing, creating it with
                       mkfifo if it does not exist, write the stream once and exit;
                       unix: listen on a Unix domain socket at --path and send the whole
                       stream (the same one, given --seed) to every client that connects
  --once               unix mode: exit once the first client has been served
  --count <n>          frames to send (default: every image once with --dir, else ${DEFAULT_SIZED_COUNT})
  --rate <n>           frames per second (default: as fast as the reader takes them)
  --size <bytes>       payloads of random bytes of this size (default ${DEFAULT_SIZE})
  --dir <dir>          payloads are the image files of this directory, cycled
  --garbage <p>        probability of a run of 1-64 garbage bytes before a frame
  --bad-crc <p>        probability of a frame with a corrupted CRC
  --drop-seq <p>       probability of skipping 1-3 sequence numbers before a frame
  --truncate-last      cut the last frame short
  --seed <n>           seed for payloads and faults (default: random, printed)
  -h, --help           show this help`;

export const deviceCommand: Command = {
  name: 'device',
  summary: 'play an FPGA/NIC device: device frames with injected faults to a FIFO or Unix socket',
  usage,
  async run(args) {
    const options = parseOptions(args, {
      path: { type: 'string' },
      mode: { type: 'string' },
      once: { type: 'boolean', default: false },
      count: { type: 'string' },
      rate: { type: 'string' },
      size: { type: 'string' },
      dir: { type: 'string' },
      garbage: { type: 'string' },
      'bad-crc': { type: 'string' },
      'drop-seq': { type: 'string' },
      'truncate-last': { type: 'boolean', default: false },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (options.help) {
      console.log(usage);
      return;
    }
    const path = required(options.path, '--path');
    const mode = choiceOption(options.mode, '--mode', MODES, 'fifo');
    if (options.once && mode !== 'unix') throw new UsageError('--once applies to --mode unix only');
    if (options.size !== undefined && options.dir !== undefined) throw new UsageError('give --size or --dir, not both');
    const rate = positiveNumberOption(options.rate, '--rate');
    const faults: DeviceFaults = {
      garbage: probabilityOption(options.garbage, '--garbage'),
      badCrc: probabilityOption(options['bad-crc'], '--bad-crc'),
      dropSeq: probabilityOption(options['drop-seq'], '--drop-seq'),
      truncateLast: options['truncate-last'],
    };
    const seed = integerOption(options.seed, '--seed', 0) ?? randomInt(2 ** 32 - 1);
    if (seed > 0xffffffff) throw new UsageError(`--seed must be below 2^32, got ${seed}`);

    let payloads: PayloadSource;
    let count: number;
    if (options.dir !== undefined) {
      const library = await ImageLibrary.open(options.dir);
      payloads = imagePayloads(library);
      count = integerOption(options.count, '--count') ?? library.files.length;
    } else {
      payloads = randomPayloads(integerOption(options.size, '--size', 0) ?? DEFAULT_SIZE, seed);
      count = integerOption(options.count, '--count') ?? DEFAULT_SIZED_COUNT;
    }
    log(`device: seed ${seed}`);

    const send = async (writer: StreamWriter, peer: string) => {
      const stream = new DeviceStream(count, faults, seed);
      const progress = new Progress(`device -> ${peer}`, 'frames');
      await progress.track(() => sendDeviceStream(stream, payloads, writer, new Pacer(rate), progress));
      process.stderr.write(`${JSON.stringify(stream.summary)}\n`);
    };

    if (mode === 'unix') {
      await serveClients({ target: { path }, once: options.once, label: 'device' }, send);
    } else {
      await ensureFifo(path);
      log(`device: waiting for a reader to open ${path}`);
      await send(await openFifoForWriting(path), `FIFO ${path}`);
    }
  },
};

async function sendDeviceStream(
  stream: DeviceStream,
  payloads: PayloadSource,
  writer: StreamWriter,
  pacer: Pacer,
  progress: Progress,
): Promise<void> {
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let batchFrames = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await writer.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch, batchBytes));
    progress.add(batchFrames, batchBytes);
    batch = [];
    batchBytes = 0;
    batchFrames = 0;
  };
  while (!stream.done) {
    const due = await pacer.take(MAX_FRAMES_PER_WRITE);
    for (let i = 0; i < due && !stream.done; i++) {
      // Random payloads come synchronously; awaiting them anyway would cost a turn of the event loop per frame.
      const payload = payloads(stream.position);
      for (const piece of stream.next(payload instanceof Promise ? await payload : payload)) {
        batch.push(piece);
        batchBytes += piece.length;
      }
      batchFrames++;
      if (batchBytes >= WRITE_BYTES) await flush();
    }
    await flush();
  }
  await writer.end();
}

async function ensureFifo(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (info === null) {
    try {
      execFileSync('mkfifo', [path], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`cannot create the FIFO ${path} with mkfifo: ${stderr || (error as Error).message}`);
    }
    log(`device: created FIFO ${path}`);
  } else if (!info.isFIFO()) {
    throw new Error(`${path} exists and is not a FIFO (use --mode unix for a socket, or another path)`);
  }
}

/** Opening a FIFO for writing waits until a reader opens it too. */
function openFifoForWriting(path: string): Promise<StreamWriter> {
  return new Promise((resolve, reject) => {
    const fifo = createWriteStream(path);
    fifo.once('error', (error) => reject(new Error(`cannot open ${path} for writing: ${error.message}`)));
    fifo.once('open', () => resolve(new StreamWriter(fifo)));
  });
}
