// The sluice-kafka command: fetch Kafka's jars, or run a local broker in the foreground.
import { parseArgs } from 'node:util';
import { startLocalBroker } from './broker.js';
import { DEFAULT_KAFKA_VERSION } from './kafka-version.js';
import { ensureKafkaJars } from './maven-fetch.js';

const USAGE = `Usage: sluice-kafka <command> [options]

A real Apache Kafka broker (single-node KRaft) for development and tests.
Kafka's jars are fetched from Maven Central with mvn on first use and cached.

Commands:
  fetch               download Kafka's jars into the cache and exit
  start               run a broker in the foreground until Ctrl-C or SIGTERM

Options:
  --kafka-version V   Apache Kafka version (default ${DEFAULT_KAFKA_VERSION})
  --port N            client port for start (default: a free port)
  --data-dir DIR      keep configuration, log and topics in DIR across runs
                      (default: a temp directory removed on stop)
  -h, --help          show this help

Environment:
  SLUICE_KAFKA_HOME   jar cache directory (default: kafka-<version> in SLUICE_CACHE_DIR,
                      whose default is ~/.cache/sluice)
  JAVA_HOME           the JDK to run Kafka with (default: java on PATH; 17+)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'kafka-version': { type: 'string', default: DEFAULT_KAFKA_VERSION },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const version = values['kafka-version'];
  const log = (line: string) => console.log(line);

  switch (command) {
    case 'fetch': {
      const jars = await ensureKafkaJars({ version, log });
      console.log(`Kafka ${jars.version} jars are in ${jars.libsDir}`);
      return 0;
    }
    case 'start':
      return runInForeground({ version, log, port: parsePort(values.port), dataDir: values['data-dir'] });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function runInForeground(options: Parameters<typeof startLocalBroker>[0]): Promise<number> {
  const broker = await startLocalBroker(options);
  console.log(`KAFKA_BROKERS=${broker.brokers}`);
  console.log(`broker log: ${broker.logFile}`);
  console.log('press Ctrl-C to stop');
  // The broker's child process does not hold the event loop open (so that scripts which
  // forget stop() still exit); in the foreground this timer does.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const outcome = await new Promise<'signal' | 'exited'>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve('signal'));
    void broker.exited.then(() => resolve('exited'));
  });
  clearInterval(keepAlive);
  if (outcome === 'exited') {
    console.error(`the broker exited on its own; its log was ${broker.logFile}`);
  }
  await broker.stop();
  return outcome === 'exited' ? 1 : 0;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UsageError(`invalid --port "${text}"`);
  return port;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`sluice-kafka: ${(err as Error).message} (see sluice-kafka --help)`);
      process.exit(2);
    }
    console.error(`sluice-kafka: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
