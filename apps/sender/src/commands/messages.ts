import { choiceOption, integerOption, listenOption, parseOptions, positiveNumberOption, required } from '../cli-args.js';
import type { Command } from '../command.js';
import { Progress } from '../progress.js';
import { encodeLengthPrefixed } from '../protocol.js';
import { serveClients } from '../serve-clients.js';

const FORMATS = ['length-prefixed', 'newline'] as const;
type MessageFormat = (typeof FORMATS)[number];

/** About this many bytes of messages are built once and written over and over. */
const BLOCK_BYTES = 1024 * 1024;

const usage = `usage: sluice-sender messages --size <bytes> [options]

Serves synthetic messages over TCP for ingest benchmarks: it listens, and every client
that connects receives a stream of messages of --size bytes each. The messages are built
once into a block of about 1 MB that is written over and over, so the sender is rarely
what limits the rate.

options:
  --size <bytes>       payload bytes per message (required; may be 0)
  --format <f>         length-prefixed (default): a 4-byte big-endian length, then the bytes;
                       newline: --size characters of text, then '\\n'
  --count <n>          messages per connection
  --seconds <s>        stop sending to a client after this many seconds
                       (with neither --count nor --seconds: until the client disconnects)
  --listen <host:port> address to listen on (default 127.0.0.1:9999; port 0 picks a free one)
  --once               exit once the first client has been served
  -h, --help           show this help`;

export const messagesCommand: Command = {
  name: 'messages',
  summary: 'serve synthetic fixed-size messages over TCP (length-prefixed or newline)',
  usage,
  async run(args) {
    const options = parseOptions(args, {
      size: { type: 'string' },
      format: { type: 'string' },
      count: { type: 'string' },
      seconds: { type: 'string' },
      listen: { type: 'string' },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (options.help) {
      console.log(usage);
      return;
    }
    const size = required(integerOption(options.size, '--size', 0), '--size');
    const format = choiceOption(options.format, '--format', FORMATS, 'length-prefixed');
    const count = integerOption(options.count, '--count') ?? Infinity;
    const seconds = positiveNumberOption(options.seconds, '--seconds') ?? Infinity;
    const listen = listenOption(options.listen, '127.0.0.1:9999');

    const message = encodeMessage(messageText(size), format);
    const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / message.length));
    const block = Buffer.concat(Array.from({ length: perBlock }, () => message));

    await serveClients({ target: listen, once: options.once, label: 'messages' }, async (writer, peer) => {
      const progress = new Progress(`messages -> ${peer}`, 'messages');
      const deadline = performance.now() + seconds * 1000;
      await progress.track(async () => {
        let remaining = count;
        while (remaining > 0 && performance.now() < deadline) {
          const n = Math.min(remaining, perBlock);
          // The block is never modified, so the same buffer can sit in the socket's queue many times.
          const chunk = n === perBlock ? block : block.subarray(0, n * message.length);
          await writer.write(chunk);
          progress.add(n, chunk.length);
          remaining -= n;
        }
        await writer.end();
      });
    });
  },
};

/** Printable text, so the same payload serves both formats and never contains '\n'. */
function messageText(size: number): Buffer {
  const pattern = Buffer.from('sluice benchmark message 0123456789 abcdefghijklmnopqrstuvwxyz ');
  const text = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += pattern.length) pattern.copy(text, i, 0, Math.min(pattern.length, size - i));
  return text;
}

function encodeMessage(payload: Buffer, format: MessageFormat): Buffer {
  return format === 'newline' ? Buffer.concat([payload, Buffer.from('\n')]) : encodeLengthPrefixed(payload);
}
