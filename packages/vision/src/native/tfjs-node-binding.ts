import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool, tail } from './run-tool.js';

/**
 * Builds @tensorflow/tfjs-node's binding against libtensorflow from the cache. The
 * package's own install step downloads a prebuilt libtensorflow from a host outside
 * the package registries, so it is installed with scripts off and its binding is
 * compiled here with npm's bundled node-gyp: binding.gyp expects deps/lib (linked
 * with -ltensorflow -ltensorflow_framework, found at run time through the rpath
 * $ORIGIN/../../deps/lib) and deps/include; the module name and path it would take
 * from node-pre-gyp are passed by hand.
 */
export function workspaceRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces) return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('cannot find the workspace root (a package.json with "workspaces") above this file');
    directory = parent;
  }
}

/** The @tensorflow/tfjs version installed, which tfjs-node must match to share its tfjs-core. */
export function installedTfjsVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@tensorflow/tfjs/package.json') as { version: string }).version;
}

export function tfjsNodeDirectory(root = workspaceRoot()): string {
  return join(root, 'node_modules', '@tensorflow', 'tfjs-node');
}

/** Whether the binding has been built (the file tfjs-node loads exists). */
export function tfjsNodeBindingBuilt(root = workspaceRoot()): boolean {
  return existsSync(join(tfjsNodeDirectory(root), 'lib', 'napi-v8', 'tfjs_binding.node'));
}

export async function installTfjsNodePackage(version: string, log: (line: string) => void): Promise<string> {
  const root = workspaceRoot();
  const directory = tfjsNodeDirectory(root);
  const installed = existsSync(join(directory, 'package.json'))
    ? (JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version: string }).version
    : undefined;
  if (installed === version && existsSync(join(root, 'node_modules', '@mapbox', 'node-pre-gyp'))) return directory;
  log(`native: installing @tensorflow/tfjs-node@${version} from npm with its install script off ...`);
  const result = await runTool('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `@tensorflow/tfjs-node@${version}`], {
    cwd: root,
    log,
    what: 'npm install',
  });
  if (result.code !== 0) throw new Error(`npm could not install @tensorflow/tfjs-node@${version} (exit ${result.code})\n${tail(result.output)}`);
  return directory;
}

export async function buildBinding(directory: string, lib: string, include: string, log: (line: string) => void): Promise<void> {
  const deps = join(directory, 'deps');
  await rm(deps, { recursive: true, force: true });
  await mkdir(join(deps, 'lib'), { recursive: true });
  // The linker looks for libtensorflow.so and libtensorflow_framework.so; the binding
  // then records the libraries' sonames (libtensorflow_cc.so.2, libtensorflow_framework.so.2).
  const links: [string, string][] = [
    ['libtensorflow.so', 'libtensorflow_cc.so.2'],
    ['libtensorflow.so.2', 'libtensorflow_cc.so.2'],
    ['libtensorflow_cc.so.2', 'libtensorflow_cc.so.2'],
    ['libtensorflow_framework.so', 'libtensorflow_framework.so.2'],
    ['libtensorflow_framework.so.2', 'libtensorflow_framework.so.2'],
  ];
  for (const [name, target] of links) await symlink(join(lib, target), join(deps, 'lib', name));
  await symlink(include, join(deps, 'include'));

  const nodeGyp = npmNodeGyp();
  const nodeDir = resolve(dirname(process.execPath), '..');
  if (!existsSync(join(nodeDir, 'include', 'node', 'node_api.h'))) {
    throw new Error(`Node's headers are not at ${join(nodeDir, 'include', 'node')}; building the binding needs them (they come with Node's package)`);
  }
  log(`native: building the tfjs-node binding with node-gyp (a C++ compiler and make are needed) ...`);
  const started = Date.now();
  const result = await runTool(
    process.execPath,
    [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--module_name=tfjs_binding', `--module_path=${join(directory, 'lib', 'napi-v8')}`, '--napi_build_version=8'],
    { cwd: directory, log, what: 'compiling the binding' },
  );
  if (result.code !== 0) throw new Error(`node-gyp could not build the tfjs-node binding (exit ${result.code})\n${tail(result.output, 25)}`);
  log(`native: built the binding in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** node-gyp as bundled with npm (npm's own copy, so nothing else needs installing). */
function npmNodeGyp(): string {
  const candidates = [
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    process.env.npm_config_node_gyp ?? '',
  ].filter((path) => path !== '' && existsSync(path));
  if (candidates.length === 0) throw new Error("cannot find npm's bundled node-gyp next to this Node installation");
  return candidates[0]!;
}
