import { Kafka, logLevel, Partitioners, type Message, type Producer } from 'kafkajs';
import { choiceOption, integerOption, parseOptions, positiveNumberOption, required, UsageError } from '../cli-args.js';
import type { Command } from '../command.js';
import { ImageLibrary } from '../image-library.js';
import { Pacer } from '../pacer.js';
import { imagePayloads, randomPayloads, type PayloadSource } from '../payloads.js';
import { Progress } from '../progress.js';
import { SENTENCES } from '../sentences.js';

const ACKS = ['-1', '0', '1'] as const;
const DEFAULT_SIZED_COUNT = 1000;
const DEFAULT_BATCH = 100;
/** A send stays under the broker's default message.max.bytes (1 MB) unless one message alone is bigger. */
const BATCH_BYTES = 900 * 1024;

const usage = `usage: sluice-sender kafka --brokers <list> --topic <topic> (--dir <dir> | --size <bytes> | --text) [options]

Produces messages to a Kafka topic: the image files of a directory (key = file name,
value = the file's bytes, cycling through the directory when --count asks for more),
synthetic messages of random bytes, or lines of text (the text command's sentences, for
the Kafka word count example), the last two with no key. Messages are sent in batches.

options:
  --brokers <list>     comma-separated host:port list of bootstrap brokers (required)
  --topic <topic>      topic to produce to (required)
  --dir <dir>          send the images of this directory
  --size <bytes>       send synthetic messages of this size
  --text               send lines of text, one a message
  --count <n>          messages to send (default: every image once with --dir, else ${DEFAULT_SIZED_COUNT})
  --rate <n>           messages per second (default: as fast as the brokers acknowledge)
  --batch <n>          messages per send request, at most (default ${DEFAULT_BATCH}; a batch is also
                       cut at about 900 KB to stay under the broker's default message.max.bytes)
  --acks <n>           -1 (default: all in-sync replicas), 1 (the leader) or 0 (none)
  --client-id <id>     Kafka client id (default sluice-sender)
  -h, --help           show this help`;

export const kafkaCommand: Command = {
  name: 'kafka',
  summary: 'produce images, synthetic messages or lines of text to a Kafka topic',
  usage,
  async run(args) {
    const options = parseOptions(args, {
      brokers: { type: 'string' },
      topic: { type: 'string' },
      dir: { type: 'string' },
      size: { type: 'string' },
      text: { type: 'boolean', default: false },
      count: { type: 'string' },
      rate: { type: 'string' },
      batch: { type: 'string' },
      acks: { type: 'string' },
      'client-id': { type: 'string', default: 'sluice-sender' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (options.help) {
      console.log(usage);
      return;
    }
    const brokers = required(options.brokers, '--brokers')
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== '');
    if (brokers.length === 0) throw new UsageError('--brokers must list at least one host:port');
    const topic = required(options.topic, '--topic');
    const sources = [options.dir !== undefined, options.size !== undefined, options.text].filter(Boolean).length;
    if (sources !== 1) throw new UsageError('give one of --dir, --size and --text');
    const rate = positiveNumberOption(options.rate, '--rate');
    const batchSize = integerOption(options.batch, '--batch') ?? DEFAULT_BATCH;
    const acks = Number(choiceOption(options.acks, '--acks', ACKS, '-1'));

    let message: (n: number) => Promise<Message>;
    let count: number;
    if (options.dir !== undefined) {
      const library = await ImageLibrary.open(options.dir);
      const images = imagePayloads(library);
      message = async (n) => ({ key: library.fileAt(n).name, value: await images(n) });
      count = integerOption(options.count, '--count') ?? library.files.length;
    } else if (options.text) {
      message = async (n) => ({ key: null, value: Buffer.from(SENTENCES[n % SENTENCES.length]!) });
      count = integerOption(options.count, '--count') ?? DEFAULT_SIZED_COUNT;
    } else {
      const payloads: PayloadSource = randomPayloads(required(integerOption(options.size, '--size', 0), '--size'), 0);
      message = async (n) => ({ key: null, value: await payloads(n) });
      count = integerOption(options.count, '--count') ?? DEFAULT_SIZED_COUNT;
    }

    const kafka = new Kafka({
      clientId: options['client-id'],
      brokers,
      // Errors are reported here, in one line each, instead of kafkajs's JSON logs.
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
    try {
      await producer.connect();
    } catch (error) {
      throw new Error(`cannot reach the Kafka brokers ${brokers.join(',')}: ${(error as Error).message}`);
    }
    const progress = new Progress(`kafka -> ${topic}`, 'messages');
    try {
      await progress.track(() => produce(producer, topic, acks, count, batchSize, message, new Pacer(rate), progress));
    } finally {
      await producer.disconnect();
    }
  },
};

async function produce(
  producer: Producer,
  topic: string,
  acks: number,
  count: number,
  batchSize: number,
  message: (n: number) => Promise<Message>,
  pacer: Pacer,
  progress: Progress,
): Promise<void> {
  let n = 0;
  // The message that did not fit into the previous batch: it opens the next one.
  let held: Message | undefined;
  while (n < count) {
    const due = await pacer.take(Math.min(batchSize, count - n));
    const messages: Message[] = [];
    let bytes = 0;
    while (messages.length < due) {
      const next = held ?? (await message(n + messages.length));
      held = undefined;
      const size = (next.value as Buffer).length;
      // A request must stay under the broker's message.max.bytes as a whole, so a
      // message that would take the batch past BATCH_BYTES waits for the next one. (A
      // single message over the limit is still sent alone, and the broker's refusal reported.)
      if (messages.length > 0 && bytes + size > BATCH_BYTES) {
        held = next;
        break;
      }
      messages.push(next);
      bytes += size;
    }
    pacer.giveBack(due - messages.length);
    try {
      await producer.send({ topic, acks, messages });
    } catch (error) {
      const tooLarge = /larger than the max message size/i.test((error as Error).message);
      const hint = tooLarge ? ' (raise the broker and topic max.message.bytes, or send smaller images)' : '';
      throw new Error(`producing to ${topic} failed after ${n} messages: ${(error as Error).message}${hint}`);
    }
    n += messages.length;
    progress.add(messages.length, bytes);
  }
}
