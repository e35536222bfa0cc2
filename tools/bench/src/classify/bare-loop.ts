import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ClassifyBenchSettings } from './bench-settings.js';

export interface PhaseResult {
  images: number;
  errors: number;
  seconds: number;
}

const WORKER = fileURLToPath(new URL('./bare-worker.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  read(): Promise<Record<string, number>>;
  exited: Promise<number | null>;
}

/**
 * The bare limit: as many classifier processes as executors, each classifying its share
 * of the images. A round starts them together (once every model is warm) and lasts
 * until the last one is done.
 */
export class BareWorkers {
  private constructor(private readonly workers: Worker[]) {}

  static async start(settings: ClassifyBenchSettings): Promise<BareWorkers> {
    const workers = Array.from({ length: settings.executors }, (_, i) => spawnWorker(settings, i));
    await Promise.all(workers.map((w) => w.read()));
    return new BareWorkers(workers);
  }

  async round(): Promise<PhaseResult> {
    const started = performance.now();
    for (const w of this.workers) w.child.stdin!.write('go\n');
    const reports = await Promise.all(this.workers.map((w) => w.read()));
    return {
      images: reports.reduce((s, r) => s + r.images!, 0),
      errors: reports.reduce((s, r) => s + r.errors!, 0),
      seconds: (performance.now() - started) / 1000,
    };
  }

  async stop(): Promise<void> {
    for (const w of this.workers) w.child.stdin!.end();
    await Promise.all(this.workers.map((w) => w.exited));
  }
}

function spawnWorker(settings: ClassifyBenchSettings, index: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(settings), String(index), String(settings.executors)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((line: string) => void)[] = [];
  const queued: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => (waiting.length > 0 ? waiting.shift()!(line) : queued.push(line)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const read = () =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const take = (line: string) => resolve(JSON.parse(line) as Record<string, number>);
      const line = queued.shift();
      if (line !== undefined) return take(line);
      waiting.push(take);
      void exited.then((code) => reject(new Error(`bare worker ${index} exited (${code}) before reporting`)));
    });
  return { child, read, exited };
}
