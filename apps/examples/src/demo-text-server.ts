import { startDemoLineServer } from './demo-line-server.js';

const LINES = [
  'the quick brown fox jumps over the lazy dog',
  'a stream is a sequence of batches and a batch is a dataset',
  'to be or not to be that is the question',
  'every block becomes a partition and every partition a task',
];

/** The word count examples' demo source: a few lines of text, over and over. Returns its port. */
export function startDemoTextServer(): Promise<number> {
  return startDemoLineServer((n) => LINES[n % LINES.length]!);
}
