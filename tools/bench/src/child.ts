import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface JsonChild {
  child: ChildProcess;
  /** The next JSON line the child prints. */
  next(): Promise<Record<string, number>>;
}

/** Runs a TypeScript file of this folder in its own Node process, reading JSON lines. */
export function spawnJsonChild(file: string, args: string[]): JsonChild {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const w = waiters.shift();
    if (w) w(line);
    else queue.push(line);
  });
  return {
    child,
    next: () =>
      new Promise((resolve, reject) => {
        const take = (line: string) => resolve(JSON.parse(line) as Record<string, number>);
        const line = queue.shift();
        if (line !== undefined) return take(line);
        waiters.push(take);
        child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before printing a result`)));
      }),
  };
}
