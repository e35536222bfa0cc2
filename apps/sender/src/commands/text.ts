import { integerOption, listenOption, parseOptions, positiveNumberOption } from '../cli-args.js';
import type { Command } from '../command.js';
import { Pacer } from '../pacer.js';
import { Progress } from '../progress.js';
import { serveClients } from '../serve-clients.js';
import { SENTENCES } from '../sentences.js';

/** Lines joined into one write when the rate allows it; bounds the size of a write. */
const LINES_PER_WRITE = 4096;

const usage = `usage: sluice-sender text [options]

Serves lines of English text over TCP for the word count example: it listens, and every
client that connects receives newline-terminated sentences from a built-in list, in
order, cycling through the list.

options:
  --listen <host:port> address to listen on (default 127.0.0.1:9999; port 0 picks a free one)
  --rate <n>           lines per second (default: as fast as the client reads)
  --count <n>          lines per connection (default: until the client disconnects)
  --once               exit once the first client has been served
  -h, --help           show this help`;

export const textCommand: Command = {
  name: 'text',
  summary: 'serve lines of text over TCP, for the word count example',
  usage,
  async run(args) {
    const options = parseOptions(args, {
      listen: { type: 'string' },
      rate: { type: 'string' },
      count: { type: 'string' },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (options.help) {
      console.log(usage);
      return;
    }
    const listen = listenOption(options.listen, '127.0.0.1:9999');
    const rate = positiveNumberOption(options.rate, '--rate');
    const count = integerOption(options.count, '--count') ?? Infinity;

    await serveClients({ target: listen, once: options.once, label: 'text' }, async (writer, peer) => {
      const progress = new Progress(`text -> ${peer}`, 'lines');
      const pacer = new Pacer(rate);
      await progress.track(async () => {
        let sent = 0;
        while (sent < count) {
          const n = await pacer.take(Math.min(LINES_PER_WRITE, count - sent));
          let text = '';
          for (let i = 0; i < n; i++) text += `${SENTENCES[(sent + i) % SENTENCES.length]}\n`;
          const bytes = Buffer.from(text);
          await writer.write(bytes);
          progress.add(n, bytes.length);
          sent += n;
        }
        await writer.end();
      });
    });
  },
};
