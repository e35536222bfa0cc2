// Starts a real, single-node Apache Kafka broker (KRaft, no ZooKeeper) as a child JVM on
// 127.0.0.1, for development and tests. The jars come from Maven Central on first use.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summariseBrokerLog } from './broker-log-summary.js';
import { randomClusterId } from './cluster-id.js';
import { formatStorageIfNeeded } from './format-storage.js';
import { freePort } from './free-port.js';
import { launchKafka } from './kafka-process.js';
import { DEFAULT_KAFKA_VERSION } from './kafka-version.js';
import { renderLog4jProperties } from './log4j-properties.js';
import { ensureKafkaJars } from './maven-fetch.js';
import { reapOnExit } from './reap-on-exit.js';
import { renderServerProperties } from './server-properties.js';
import { waitForBroker } from './wait-for-broker.js';
import { warmUpCoordinators } from './warm-up-coordinators.js';
import { workDirLayout } from './work-dir.js';

export { DEFAULT_KAFKA_VERSION, freePort };

export interface LocalBrokerOptions {
  /** Progress lines (fetching, starting, ready). Default: stderr, prefixed "[sluice-kafka]". */
  log?: (line: string) => void;
  /** Client port. Default: a free port picked by the kernel. */
  port?: number;
  /**
   * Working directory for configuration, log file and partitions. It is kept after stop(),
   * and a later start on it keeps its topics. Default: a fresh temp directory, removed by stop().
   */
  dataDir?: string;
  /** Apache Kafka version to fetch and run. Default: DEFAULT_KAFKA_VERSION (3.9.1). */
  version?: string;
  /** How long to wait for the broker to answer. Default 90 s. */
  startTimeoutMs?: number;
}

export interface LocalBroker {
  /** "127.0.0.1:<port>", ready for kafkajs' `brokers: [..]` or KAFKA_BROKERS. */
  brokers: string;
  /** Kafka's own log (the JVM's stdout and stderr). Removed by stop() with a temp work dir. */
  logFile: string;
  /** Resolves when the JVM exits, whether through stop() or not. */
  exited: Promise<void>;
  /** SIGTERM (Kafka shuts down cleanly), SIGKILL after a grace period, then removes the temp dir. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_START_TIMEOUT_MS = 90_000;
/** A clean single-node shutdown takes well under a few seconds; past this the JVM is stuck. */
const STOP_GRACE_MS = 20_000;
const KILL_WAIT_MS = 5_000;

export async function startLocalBroker(options: LocalBrokerOptions = {}): Promise<LocalBroker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[sluice-kafka] ${line}\n`));
  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  const { libsDir } = await ensureKafkaJars({ version, log });

  const port = options.port ?? (await freePort(HOST));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid broker port ${port}`);
  const controllerPort = await freePortOtherThan(port);
  const brokers = `${HOST}:${port}`;

  const ownsWorkDir = options.dataDir === undefined;
  const root =
    options.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'sluice-kafka-')) : resolve(options.dataDir);
  const layout = workDirLayout(root);
  const started = Date.now();
  log(`starting Kafka ${version} (KRaft, single node) on ${brokers}, work dir ${root}`);
  try {
    await mkdir(layout.dataDir, { recursive: true });
    await writeFile(layout.serverProperties, renderServerProperties({ port, controllerPort, logDir: layout.dataDir }));
    await writeFile(layout.log4jProperties, renderLog4jProperties());
    const formatted = await formatStorageIfNeeded({
      libsDir,
      serverProperties: layout.serverProperties,
      log4jConfig: layout.log4jProperties,
      logDir: layout.dataDir,
      clusterId: randomClusterId(),
    });
    if (!formatted) log(`reusing the existing Kafka data in ${layout.dataDir}`);
  } catch (err) {
    if (ownsWorkDir) await rm(root, { recursive: true, force: true });
    throw err;
  }

  const formattedAt = Date.now();
  const jvm = launchKafka(libsDir, layout);
  let answeredAt = 0;
  const unregister = reapOnExit(jvm.child, ownsWorkDir ? () => rmSync(root, { recursive: true, force: true }) : () => {});
  try {
    await waitForBroker({
      brokers,
      deadline: started + (options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS),
      stillRunning: () => jvm.running(),
    });
    answeredAt = Date.now();
    await warmUpCoordinators(brokers);
  } catch (err) {
    await jvm.terminate('SIGKILL', KILL_WAIT_MS);
    unregister();
    // Keep the configuration and the log for a post-mortem; only the partitions go.
    if (ownsWorkDir) await rm(layout.dataDir, { recursive: true, force: true });
    const cause = jvm.spawnError() ?? (err as Error);
    throw new Error(
      `Kafka did not start: ${cause.message}\n` +
        `--- from the broker log, kept at ${layout.logFile} ---\n${await logSummary(layout.logFile)}`,
      { cause },
    );
  }
  const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
  const readyAt = Date.now();
  log(
    `Kafka ready at ${brokers} in ${seconds(started, readyAt)} (format ${seconds(started, formattedAt)}, ` +
      `broker ${seconds(formattedAt, answeredAt)}, coordinators ${seconds(answeredAt, readyAt)}; log: ${layout.logFile})`,
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!(await jvm.terminate('SIGTERM', STOP_GRACE_MS))) {
        log(`Kafka did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
        await jvm.terminate('SIGKILL', KILL_WAIT_MS);
      }
      unregister();
      if (ownsWorkDir) await rm(root, { recursive: true, force: true, maxRetries: 3 });
      log(`Kafka at ${brokers} stopped`);
    })();
    return stopping;
  };

  return { brokers, logFile: layout.logFile, exited: jvm.exited, stop };
}

async function freePortOtherThan(port: number): Promise<number> {
  for (;;) {
    const candidate = await freePort(HOST);
    if (candidate !== port) return candidate;
  }
}

async function logSummary(logFile: string): Promise<string> {
  try {
    return summariseBrokerLog(await readFile(logFile, 'utf8'));
  } catch {
    return '(no log file)';
  }
}
