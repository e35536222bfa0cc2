import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { EXTERNAL_MARK } from './external-mark.js';

/**
 * A package the bundle does not contain: the executor imports it from its own
 * installation. `native` ones (compiled addons) must have the driver's exact version.
 */
export interface BundleExternal {
  name: string;
  /** The driver's version; '' when its package.json could not be read. */
  version: string;
  native: boolean;
}

export interface JobBundle {
  /** SHA-256 of `code`, hex: the name executors cache it under. */
  hash: string;
  code: Buffer;
  externals: BundleExternal[];
}

export { EXTERNAL_MARK };

/** Packages with compiled addons that are never bundled (their .node files cannot be). */
const KNOWN_NATIVE = new Set(['sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The directory holding Sluice's packages (packages/ in the repository, node_modules/@sluice installed). */
function sluicePackagesDir(): string {
  return dirname(dirname(dirname(fileURLToPath(import.meta.url))));
}

/**
 * What an executor host with Sluice installed has anyway: Sluice's own packages and the
 * packages they depend on. The job imports these from there rather than shipping a copy
 * (a second copy of @sluice/streaming or kafkajs in the bundle would be a different
 * module, with its own classes and state).
 */
function installedWithSluice(): Set<string> {
  const names = new Set<string>();
  const dir = sluicePackagesDir();
  for (const entry of readdirSync(dir)) {
    const manifest = join(dir, entry, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    if (!pkg.name?.startsWith('@sluice/')) continue;
    names.add(pkg.name);
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) names.add(dep);
  }
  return names;
}

/** The package.json of `name` as the file `fromFile` sees it (node_modules lookup). */
function findManifest(name: string, fromFile: string): { version?: string; gypfile?: boolean; binary?: unknown } | null {
  for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Bundles a job module and its local imports into one ES module for executors on other
 * hosts (Spark ships the application jar the same way). Packages from node_modules are
 * bundled too, except those every Sluice installation has and native packages, which
 * stay imports resolved on the executor host. `import.meta.url` in the job's own files
 * keeps naming the original file, so code that locates files next to the job behaves as
 * on the driver (such files must then exist on the executor host too).
 */
export async function bundleJob(jobModule: string): Promise<JobBundle> {
  // Imported here: the driver spawns its executors meanwhile, before esbuild has loaded.
  const { build } = await import('esbuild');
  const provided = installedWithSluice();
  const externals = new Map<string, BundleExternal>();
  const plugin: Plugin = {
    name: 'sluice-job',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
        const name = packageName(args.path);
        const manifest = findManifest(name, args.importer || jobModule);
        const native = KNOWN_NATIVE.has(name) || manifest?.gypfile === true || manifest?.binary !== undefined;
        if (!native && !provided.has(name)) return undefined; // bundled
        if (!externals.has(name)) externals.set(name, { name, version: manifest?.version ?? '', native });
        return { path: `${EXTERNAL_MARK}${args.path}`, external: true };
      });
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const url = JSON.stringify(pathToFileURL(args.path).href);
        const contents = source
          .replaceAll('import.meta.url', url)
          .replaceAll('import.meta.filename', JSON.stringify(args.path))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
        const ext = args.path.slice(args.path.lastIndexOf('.') + 1);
        const loader = ext.startsWith('t') || ext.endsWith('ts') ? (ext.endsWith('x') ? 'tsx' : 'ts') : ext.endsWith('x') ? 'jsx' : 'js';
        return { contents, loader, resolveDir: dirname(args.path) };
      });
    },
  };
  const result = await build({
    entryPoints: [jobModule],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    // Stack traces of the executors name the job's own files and lines (see withSourceMap).
    sourcemap: 'external',
    sourcesContent: false,
    outfile: join(dirname(jobModule), '__sluice_job_bundle__.mjs'),
    // As tsx transforms the job on the driver: the graph fingerprint compares functions by
    // their source text, so the executors' copy must print functions the same way.
    minifyWhitespace: true,
    keepNames: true,
    plugins: [plugin],
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __sluiceCreateRequire } from 'node:module';\nconst require = __sluiceCreateRequire(import.meta.url);" },
  }).catch((err: Error & { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const first = err.errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new Error(`could not bundle the job ${jobModule} for the executors: ${first?.text ?? err.message}${where}`);
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const code = Buffer.from(map ? withSourceMap(js.text, map.text, dirname(js.path)) : js.text);
  return { hash: createHash('sha256').update(code).digest('hex'), code, externals: [...externals.values()] };
}

/**
 * Puts the source map into the bundle, its sources as absolute file URLs: the bundle is
 * cached under another name and directory on the executor, and an executor's stack trace
 * should still name `/path/of/job.ts:12`, as the driver's does.
 */
function withSourceMap(code: string, mapText: string, outDir: string): string {
  const map = JSON.parse(mapText) as { sources: string[] };
  map.sources = map.sources.map((s) => pathToFileURL(resolve(outDir, s)).href);
  const body = code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return `${body}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}
