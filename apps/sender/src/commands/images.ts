import { integerOption, listenOption, parseOptions, positiveNumberOption, required } from '../cli-args.js';
import type { Command } from '../command.js';
import { ImageLibrary } from '../image-library.js';
import { Pacer } from '../pacer.js';
import { log, Progress } from '../progress.js';
import { cutImageName, encodeImageFrame, imageNameFits, takesLongNameFrame } from '../protocol.js';
import { serveClients } from '../serve-clients.js';

const usage = `usage: sluice-sender images --dir <dir> [options]

Serves the image files of a directory over TCP, like 'nc -lk': it listens, and every
client that connects receives the images as image frames (a 28-byte zero-padded UTF-8
file name, a 4-byte big-endian length, the bytes), then the connection is closed.
Files ending in .jpg .jpeg .png .webp .gif .tif .tiff (any case) are sent, in name order;
other files are skipped.

A file name of 28 bytes or more (the frame's name field) is sent whole, in a long-name
frame (the name field holds 0xFF and the name's length; the name comes before the
image bytes); sluice-classify reads both kinds. --cut-names sends only classic frames,
cutting longer names to 28 bytes, for receivers that know only the classic frame.

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
  --cut-names          cut names over 28 bytes to fit the classic frame (default:
                       send them whole in long-name frames)
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
      'cut-names': { type: 'boolean', default: false },
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

    const longNames = !options['cut-names'];
    warnAboutLongNames(library.files.map((f) => f.name), longNames);

    await serveClients({ target: listen, once: options.once, label: 'images' }, async (writer, peer) => {
      const progress = new Progress(`images -> ${peer}`, 'images');
      const pacer = new Pacer(rate);
      await progress.track(async () => {
        for (let n = 0; n < perConnection; n++) {
          await pacer.take(1);
          const file = library.fileAt(n);
          const frame = encodeImageFrame(file.name, await library.read(file), { longNames });
          await writer.write(frame);
          progress.add(1, frame.length);
        }
        await writer.end();
      });
    });
  },
};

/** Names that do not go in a classic frame as they are: said once, at the start, so that no name changes without a word. */
function warnAboutLongNames(names: string[], longNames: boolean): void {
  if (longNames) {
    const whole = names.filter((name) => takesLongNameFrame(name));
    if (whole.length === 0) return;
    log(
      `images: ${whole.length} name${whole.length === 1 ? '' : 's'} of 28 bytes or more (the frame's name field) ` +
        `go${whole.length === 1 ? 'es' : ''} whole in long-name frames (a receiver that knows only the classic frame ` +
        `cannot read those; --cut-names sends classic frames instead)`,
    );
    return;
  }
  const long = names.filter((name) => !imageNameFits(name));
  for (const name of long) log(`images: '${name}' is cut to '${cutImageName(name)}' to fit the frame's 28-byte name field`);
}
