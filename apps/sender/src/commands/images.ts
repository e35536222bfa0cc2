import { integerOption, listenOption, parseOptions, positiveNumberOption, required } from '../cli-args';
import type { Command } from '../command';
import { ImageLibrary } from '../image-library';
import { Pacer } from '../pacer';
import { log, Progress } from '../progress';
import { encodeImageFrame } from '../protocol';
import { serveClients } from '../serve-clients';

const usage = `usage: sluice-sender images --dir <dir> [options]

Serves the image files of a directory over TCP, like 'nc -lk': it listens, and every
client that connects receives the images as image frames (a 28-byte zero-padded UTF-8
file name, a 4-byte big-endian length, the bytes), then the connection is closed.
Files ending in .jpg .jpeg .png .webp .gif .tif .tiff (any case) are sent, in name order;
other files are skipped.

Each connection gets the directory anew. sluice-classify --source socket:// takes the
closed connection as the end of its stream and stops, so each image is classified once;
a Sluice job's socketStream reconnects by default (as Spark's does) and would receive the
directory again, unless it passes { endsWithConnection: true }. --once serves one client
and exits.

options:
  --dir <dir>          directory of images (required)
  --listen <host:port> address to listen on (default 127.0.0.1:9999; port 0 picks a free one)
  --rate <n>           images per second (default: as fast as the client reads)
  --count <n>          images per connection (default: every file once; with --loop, forever)
  --loop               cycle through the directory until --count images are sent
  --once               exit once the first client has been served
  -h, --help           show this help

Progress goes to stderr, starting with "images: listening on <host:port>".`;

export const imagesCommand: Command = {
  name: 'images',
  summary: 'serve the images of a directory over TCP as image frames',
  usage,
  async run(args) {
    const options = parseOptions(args, {
      dir: { type: 'string' },
      listen: { type: 'string' },
      rate: { type: 'string' },
      count: { type: 'string' },
      loop: { type: 'boolean', default: false },
      once: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (options.help) {
      console.log(usage);
      return;
    }
    const dir = required(options.dir, '--dir');
    const listen = listenOption(options.listen, '127.0.0.1:9999');
    const rate = positiveNumberOption(options.rate, '--rate');
    const count = integerOption(options.count, '--count');

    const library = await ImageLibrary.open(dir);
    let perConnection: number;
    if (options.loop) {
      perConnection = count ?? Infinity;
    } else {
      perConnection = Math.min(count ?? library.files.length, library.files.length);
      if (count !== undefined && count > library.files.length) {
        log(`images: ${dir} holds ${library.files.length} images; sending each once (add --loop to repeat them)`);
      }
    }

    await serveClients({ target: listen, once: options.once, label: 'images' }, async (writer, peer) => {
      const progress = new Progress(`images -> ${peer}`, 'images');
      const pacer = new Pacer(rate);
      await progress.track(async () => {
        for (let n = 0; n < perConnection; n++) {
          await pacer.take(1);
          const file = library.fileAt(n);
          const frame = encodeImageFrame(file.name, await library.read(file));
          await writer.write(frame);
          progress.add(1, frame.length);
        }
        await writer.end();
      });
    });
  },
};
