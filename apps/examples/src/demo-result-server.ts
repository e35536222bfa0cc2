import { startDemoLineServer } from './demo-line-server.js';

const LABELS = ['tabby, tabby cat', 'golden retriever', 'banana', 'sports car, sport car', 'pug, pug-dog', 'hourglass'];

/**
 * classified-categories' demo source: classification results as sluice-classify writes
 * them (JSON lines), every seventh one an image that failed. Returns its port.
 */
export function startDemoResultServer(): Promise<number> {
  return startDemoLineServer((n) =>
    JSON.stringify(
      n % 7 === 6
        ? { name: `img-${n}.jpg`, ok: false, kind: 'decode', error: 'not an image' }
        : { name: `img-${n}.jpg`, ok: true, top: [{ label: LABELS[n % LABELS.length]!, score: 0.9 }] },
    ),
  );
}
