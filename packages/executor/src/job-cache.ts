import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sluiceCacheDir } from '@sluice/protocol/files';
import { RUNS_FROM_SOURCE } from './build-mode.js';
import { EXTERNAL_MARK } from './external-mark.js';
import type { BundleExternal } from './job-bundle.js';

/**
 * Where executors keep the job bundles they were sent: SLUICE_JOB_CACHE, else jobs/ in
 * Sluice's cache directory ($SLUICE_CACHE_DIR, else ~/.cache/sluice).
 */
export function jobCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.SLUICE_JOB_CACHE;
  return configured && configured.trim() !== '' ? configured : join(sluiceCacheDir(env), 'jobs');
}

const require = createRequire(import.meta.url);

/**
 * The file a package resolves to from this Sluice installation, or null. As an import
 * first: that honours the export conditions this process loads with (an executor running
 * from the sources resolves Sluice's packages to src/ as its own code does, not to a
 * second copy in dist/); require's resolution for packages that only a require finds.
 */
function resolveInstalled(specifier: string): string | null {
  try {
    return import.meta.resolve(specifier);
  } catch {
    try {
      return pathToFileURL(require.resolve(specifier)).href;
    } catch {
      return null;
    }
  }
}

function installedVersion(name: string): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? null;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Checks that this host has what the bundle imports from outside it: every external
 * package installed, native ones in the driver's exact version. Throws one error naming
 * every package that is missing or differs.
 */
export function checkExternals(externals: BundleExternal[]): void {
  const problems: string[] = [];
  for (const ext of externals) {
    const here = installedVersion(ext.name);
    if (here === null && resolveInstalled(ext.name) === null) {
      problems.push(`${ext.name} is not installed on this executor host (the driver has ${ext.version || 'it'}): npm install ${ext.name}${ext.version ? `@${ext.version}` : ''}`);
    } else if (ext.native && ext.version && here !== null && here !== ext.version) {
      problems.push(`native package ${ext.name} is ${here} here but ${ext.version} on the driver: install the same version on both`);
    }
  }
  if (problems.length > 0) throw new Error(`the job cannot run on this executor: ${problems.join('; ')}`);
}

/**
 * The file bundle `hash` is kept in. Its package imports are resolved for this host when
 * it is stored, and differ between an executor running from dist/ and one running from
 * the sources (build-mode.ts), which may share the cache: each has its own file (and
 * neither takes a `<hash>.mjs` of a version that ran every executor from the sources).
 */
function bundleFile(hash: string, dir: string): string {
  return join(dir, `${hash}.${RUNS_FROM_SOURCE ? 'src' : 'dist'}.mjs`);
}

/** The cached bundle file for `hash`, or null when this executor has not got it yet. */
export function cachedBundle(hash: string, dir = jobCacheDir()): string | null {
  const file = bundleFile(hash, dir);
  return existsSync(file) ? file : null;
}

/**
 * Stores a bundle received from the driver after checking it is the one asked for, with
 * its external imports pointed at this host's installation, and returns its path. The
 * file is written under a temporary name and renamed, so executors sharing the cache
 * never load half a file.
 */
export function storeBundle(hash: string, code: Uint8Array, dir = jobCacheDir()): string {
  const actual = createHash('sha256').update(code).digest('hex');
  if (actual !== hash) throw new Error(`the job bundle received has SHA-256 ${actual}, not ${hash} as announced`);
  const text = Buffer.from(code).toString('utf8').replace(new RegExp(`(["'])${EXTERNAL_MARK}([^"']+)\\1`, 'g'), (_all, quote: string, specifier: string) => {
    const url = resolveInstalled(specifier);
    if (url === null) throw new Error(`the job imports ${specifier}, which is not installed on this executor host`);
    return `${quote}${url}${quote}`;
  });
  mkdirSync(dir, { recursive: true });
  const file = bundleFile(hash, dir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
  return file;
}
