// Downloads Apache Kafka's jars (and a logging backend) from Maven Central into the cache,
// once per version. Maven does the dependency resolution, so no Kafka tarball mirror and no
// Docker image are needed: only a JDK, Maven and access to Maven Central.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDirLock } from '@sluice/protocol/files';
import { checkKafkaVersion, kafkaCacheDir } from './kafka-version.js';
import { DEPENDENCY_PLUGIN, renderKafkaPom } from './maven-pom.js';
import { lastLines, runCommand } from './run-command.js';

export interface KafkaJars {
  version: string;
  cacheDir: string;
  /** The directory holding every jar; the JVM classpath is `<libsDir>/*`. */
  libsDir: string;
}

export interface FetchOptions {
  version: string;
  cacheDir?: string;
  log: (line: string) => void;
}

/** Written last, so its presence means the libs directory is complete for that version. */
const MANIFEST = 'sluice-kafka.json';

interface Manifest {
  version: string;
  jars: string[];
}

export async function ensureKafkaJars(options: FetchOptions): Promise<KafkaJars> {
  const version = checkKafkaVersion(options.version);
  const cacheDir = options.cacheDir ?? kafkaCacheDir(version);
  const jars: KafkaJars = { version, cacheDir, libsDir: join(cacheDir, 'libs') };
  if (await isComplete(cacheDir, version)) return jars;

  await mkdir(cacheDir, { recursive: true });
  await withDirLock(
    join(cacheDir, '.fetch.lock'),
    () => options.log(`waiting for another process that is fetching Kafka into ${cacheDir}`),
    async () => {
      // Whoever held the lock before us may have just finished the same download.
      if (await isComplete(cacheDir, version)) return;
      await fetchInto(cacheDir, version, options.log);
    },
  );
  return jars;
}

async function isComplete(cacheDir: string, version: string): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(cacheDir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return false;
  }
  return (
    manifest.version === version &&
    Array.isArray(manifest.jars) &&
    manifest.jars.length > 0 &&
    manifest.jars.every((jar) => existsSync(join(cacheDir, 'libs', jar)))
  );
}

async function fetchInto(cacheDir: string, version: string, log: (line: string) => void): Promise<void> {
  log(`fetching Apache Kafka ${version} from Maven Central into ${cacheDir} (first run only)...`);
  const started = Date.now();
  // Maven works in a private staging directory; the result replaces libs/ in one rename,
  // so an interrupted download never leaves a half-filled libs/ that looks usable.
  const staging = await mkdtemp(join(cacheDir, '.staging-'));
  try {
    await writeFile(join(staging, 'pom.xml'), renderKafkaPom(version));
    const stagedLibs = join(staging, 'libs');
    const result = await runCommand(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        join(staging, 'pom.xml'),
        `${DEPENDENCY_PLUGIN}:copy-dependencies`,
        `-DoutputDirectory=${stagedLibs}`,
        '-DincludeScope=runtime',
      ],
      { cwd: staging },
    );
    if (result.code !== 0) {
      throw new Error(
        `Maven could not fetch org.apache.kafka:kafka_2.13:${version} (exit ${result.code}). ` +
          `Is Maven Central reachable and does that version exist?\n${lastLines(result.output, 40)}`,
      );
    }
    const jars = (await readdir(stagedLibs)).filter((name) => name.endsWith('.jar')).sort();
    if (!jars.includes(`kafka_2.13-${version}.jar`)) {
      throw new Error(`Maven finished but kafka_2.13-${version}.jar is not among the fetched jars`);
    }
    await rm(join(cacheDir, MANIFEST), { force: true });
    await rm(join(cacheDir, 'libs'), { recursive: true, force: true });
    await rename(stagedLibs, join(cacheDir, 'libs'));
    const manifest: Manifest = { version, jars };
    await writeFile(join(cacheDir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`fetched ${jars.length} jars for Kafka ${version} in ${seconds} s`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
