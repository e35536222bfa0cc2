import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  output: string;
}

/**
 * Runs an install step (mvn, pip, npm, node-gyp) and collects what it printed, so a
 * failure can be reported with the tool's own words. While it runs, a line every
 * `tickSeconds` says it is still going, since large downloads print nothing in batch
 * mode.
 */
export function runTool(command: string, args: string[], options: { cwd?: string; log: (line: string) => void; what: string; tickSeconds?: number; env?: NodeJS.ProcessEnv }): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const ticker = setInterval(() => options.log(`native:   ... ${options.what}, ${Math.round((Date.now() - started) / 1000)} s`), (options.tickSeconds ?? 15) * 1000);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearInterval(ticker);
      reject(error.code === 'ENOENT' ? new Error(`${command} was not found on PATH (needed for: ${options.what})`) : error);
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      resolve({ code, output });
    });
  });
}

export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
