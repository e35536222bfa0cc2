import { createClassifier, loadModel } from '../src/index.js';
import { readFileSync, readdirSync } from 'node:fs';
const t0 = performance.now();
const c = await createClassifier({ batchSize: 5, log: (l) => console.log('[log]', l) });
console.log('create', performance.now() - t0);
const files = readdirSync('/work/shared/images').slice(0, 10).map(f => ({ name: f, bytes: readFileSync('/work/shared/images/' + f) }));
let t = performance.now();
const r = await c.classify([...files, { name: 'bad', bytes: Buffer.from('nope') }]);
console.log('classify 11', performance.now() - t);
for (const x of r) console.log(JSON.stringify(x));
for (const spec of ['nsfwjs:mobilenet_v2_mid', 'nsfwjs:inception_v3']) {
  t = performance.now();
  const m = await loadModel(spec, { log: (l) => console.log('[log]', l) });
  console.log(spec, performance.now() - t, m.inputSize, m.kind);
  const c2 = await createClassifier({ model: m, batchSize: 5 });
  t = performance.now();
  const r2 = await c2.classify(files.slice(0, 5));
  console.log('classify 5', performance.now() - t, r2.map(x => x.ok ? x.top[0]!.label + ' ' + x.top[0]!.score.toFixed(3) : x.error));
}
