/**
 * Test support: runs the real sluice-sender command in a child process and reads what it
 * serves with plain sockets, the way a receiver would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DeviceSummary } from './device-stream.js';

const BIN = fileURLToPath(new URL('../bin/sluice-sender.mjs', import.meta.url));

export interface SenderExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class SenderProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<SenderExit>;
  private stdoutText = '';
  private stderrText = '';
  private readonly stderrListeners = new Set<() => void>();

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => (this.stdoutText += text));
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      this.stderrText += text;
      for (const listener of this.stderrListeners) listener();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => resolve({ code, stdout: this.stdoutText, stderr: this.stderrText }));
    });
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Resolves with the first match of `pattern` in stderr; rejects if the sender exits first. */
  waitForStderr(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.stderrText);
        if (match) finish(() => resolve(match));
      };
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.stderrListeners.delete(check);
        settle();
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${this.stderrText}`))),
        timeoutMs,
      );
      this.stderrListeners.add(check);
      void this.exited.then(({ code }) =>
        finish(() => reject(new Error(`sender exited (${code}) before ${pattern} appeared:\n${this.stderrText}`))),
      );
      check();
    });
  }

  /** The TCP port from the "listening on host:port" line. */
  async port(): Promise<number> {
    const match = await this.waitForStderr(/listening on [^\s]*:(\d+)/);
    return Number(match[1]);
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Runs the sender to completion. */
export function runSender(args: string[]): Promise<SenderExit> {
  return new SenderProcess(args).exited;
}

/** Connects to a TCP port or Unix socket path and collects everything until the sender ends the stream. */
export function readAll(target: { port: number } | { path: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = 'path' in target ? connect(target.path) : connect(target.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

/** Reads a FIFO until its writer closes it. */
export function readFifo(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(path)
      .on('data', (chunk) => chunks.push(chunk as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

/** The device command's JSON summary line from its stderr. */
export function deviceSummary(stderr: string): DeviceSummary {
  const line = stderr.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON summary on stderr:\n${stderr}`);
  return JSON.parse(line) as DeviceSummary;
}
