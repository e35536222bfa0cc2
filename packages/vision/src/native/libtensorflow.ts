import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sluiceCacheDir, withDirLock } from '@sluice/protocol/files';
import { fetchWheel } from '../fetch/pypi-wheel.js';
import { extractZipFileEntry, listZipFileEntries } from '../fetch/zip-file.js';
import { runTool, tail } from './run-tool.js';

/**
 * The two halves of native TensorFlow that @tensorflow/tfjs-node's binding builds
 * against, from package registries:
 * - the shared libraries from Maven Central's org.tensorflow:tensorflow-core-native
 *   (TensorFlow Java's native jar, built from TensorFlow 2.18): libtensorflow_cc.so.2
 *   exports the C API (TF_* and TFE_*), libtensorflow_framework.so.2 is its runtime;
 * - the C API headers of the same TensorFlow version, from PyPI's tensorflow-cpu wheel
 *   (tensorflow/include/). Only the headers are kept; the wheel is deleted.
 * Both are fetched once into the cache.
 */
export const TENSORFLOW_JAVA_NATIVE = { group: 'org.tensorflow', artifact: 'tensorflow-core-native', version: '1.1.0', classifier: 'linux-x86_64' } as const;
export const TENSORFLOW_HEADERS_WHEEL = {
  name: 'tensorflow-cpu',
  version: '2.18.0',
  size: '230 MB',
  platform: { platform: 'manylinux_2_17_x86_64', pythonVersion: '3.11', abi: 'cp311' },
  skipPipCache: true,
} as const;
const LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
const COMPLETE = '.complete';

export function libtensorflowDirectory(): string {
  return join(sluiceCacheDir(), `libtensorflow-${TENSORFLOW_JAVA_NATIVE.version}`);
}

export function tensorflowHeadersDirectory(): string {
  return join(sluiceCacheDir(), `tensorflow-headers-${TENSORFLOW_HEADERS_WHEEL.version}`);
}

/** <cache>/libtensorflow-1.1.0/lib holding both libraries. */
export async function ensureLibtensorflow(log: (line: string) => void): Promise<string> {
  const directory = libtensorflowDirectory();
  if (existsSync(join(directory, COMPLETE))) return join(directory, 'lib');
  await mkdir(directory, { recursive: true });
  await withDirLock(join(directory, '.lock'), () => log(`native: waiting for another process fetching into ${directory}`), async () => {
    if (existsSync(join(directory, COMPLETE))) return;
    const { group, artifact, version, classifier } = TENSORFLOW_JAVA_NATIVE;
    const coordinates = `${group}:${artifact}:${version}:jar:${classifier}`;
    log(`native: fetching ${coordinates} from Maven Central with mvn (160 MB, first time only) ...`);
    const staging = await mkdtemp(join(directory, '.staging-'));
    try {
      const started = Date.now();
      const result = await runTool('mvn', ['-B', '-q', 'dependency:copy', `-Dartifact=${coordinates}`, `-DoutputDirectory=${staging}`], {
        cwd: staging,
        log,
        what: `downloading ${artifact} ${version}`,
      });
      if (result.code !== 0) throw new Error(`mvn could not fetch ${coordinates} (exit ${result.code}); is Maven Central reachable?\n${tail(result.output)}`);
      const jar = (await readdir(staging)).find((name) => name.endsWith('.jar'));
      if (!jar) throw new Error(`mvn finished but left no jar in ${staging}`);
      log(`native: fetched ${jar} in ${Math.round((Date.now() - started) / 1000)} s; extracting ${LIBRARIES.join(' and ')} (680 MB) ...`);
      const entries = await listZipFileEntries(join(staging, jar));
      for (const library of LIBRARIES) {
        const entry = entries.find((candidate) => candidate.name.endsWith(`/${classifier}/${library}`));
        if (!entry) throw new Error(`${jar} has no ${library}`);
        await extractZipFileEntry(join(staging, jar), entry, join(staging, 'lib', library));
      }
      await rm(join(directory, 'lib'), { recursive: true, force: true });
      await rename(join(staging, 'lib'), join(directory, 'lib'));
      await writeFile(join(directory, COMPLETE), `${coordinates}\n`);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
  return join(directory, 'lib');
}

/** <cache>/tensorflow-headers-2.18.0/include, the wheel's tensorflow/include/. */
export async function ensureTensorflowHeaders(log: (line: string) => void): Promise<string> {
  const directory = tensorflowHeadersDirectory();
  if (existsSync(join(directory, COMPLETE))) return join(directory, 'include');
  await mkdir(directory, { recursive: true });
  await withDirLock(join(directory, '.lock'), () => log(`native: waiting for another process fetching into ${directory}`), async () => {
    if (existsSync(join(directory, COMPLETE))) return;
    const wheel = await fetchWheel({ ...TENSORFLOW_HEADERS_WHEEL }, log);
    log(`native: extracting the C API headers (tensorflow/include/) from ${wheel} ...`);
    const staging = await mkdtemp(join(directory, '.staging-'));
    try {
      const prefix = 'tensorflow/include/';
      const headers = (await listZipFileEntries(wheel)).filter((entry) => entry.name.startsWith(prefix) && !entry.name.endsWith('/'));
      for (const entry of headers) await extractZipFileEntry(wheel, entry, join(staging, 'include', entry.name.slice(prefix.length)));
      if (!existsSync(join(staging, 'include', 'tensorflow', 'c', 'c_api.h'))) throw new Error(`${wheel} has no tensorflow/include/tensorflow/c/c_api.h`);
      await rm(join(directory, 'include'), { recursive: true, force: true });
      await rename(join(staging, 'include'), join(directory, 'include'));
      await writeFile(join(directory, COMPLETE), `${TENSORFLOW_HEADERS_WHEEL.name}==${TENSORFLOW_HEADERS_WHEEL.version}: ${headers.length} headers\n`);
      log(`native: kept ${headers.length} headers; deleting the wheel (only the headers are needed)`);
      await rm(join(wheel, '..'), { recursive: true, force: true });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
  return join(directory, 'include');
}
