import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface RunningSender {
  port: number;
  child: ChildProcess;
  /** Resolves when the sender process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** The sluice-sender program of the workspace (apps/sender). */
export function senderBin(): string {
  const require = createRequire(import.meta.url);
  // The demo runs the sender as a separate program; no code of it is imported.
  // eslint-disable-next-line @nx/enforce-module-boundaries
  return join(dirname(require.resolve('@sluice/sender/package.json')), 'bin', 'sluice-sender.mjs');
}

/**
 * Starts `sluice-sender images --dir <dir> --listen 127.0.0.1:0 [extra]` and waits for
 * the port it reports ("images: listening on 127.0.0.1:PORT" on stderr). Its other
 * stderr lines go to `log`.
 */
export async function startImageSender(dir: string, extra: string[] = [], log: (line: string) => void = () => {}): Promise<RunningSender> {
  const child = spawn(process.execPath, [senderBin(), 'images', '--dir', dir, '--listen', '127.0.0.1:0', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const match = /listening on [^\s]*:(\d+)/.exec(line);
        if (match) resolve(Number(match[1]));
        else log(line);
      }
    });
    void exited.then((code) => reject(new Error(`sluice-sender exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    port,
    child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
