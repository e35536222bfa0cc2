import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import * as nsfwjs from 'nsfwjs';
import { createClassifier, loadModel, selectBackend } from '../src/index.js';
import { readFileSync, readdirSync } from 'node:fs';
await selectBackend({ backend: 'wasm' });
const files = readdirSync('/work/shared/images').slice(0, Number(process.argv[3] ?? 30));
const ours: Record<string,string> = { MobileNetV2: 'nsfwjs:mobilenet_v2', MobileNetV2Mid: 'nsfwjs:mobilenet_v2_mid', InceptionV3: 'nsfwjs:inception_v3' };
const which = process.argv[2] ?? 'MobileNetV2';
const ref = await nsfwjs.load(which as any, which === 'InceptionV3' ? { size: 299 } : undefined);
const model = await loadModel(ours[which]!, { log: () => {} });
const clf = await createClassifier({ model, batchSize: 10 });
const { width, height } = model.inputSize;
let neutralRef = 0, neutralOurs = 0, agreeOurs = 0, agreeSame = 0, maxDiffOurs = 0, maxDiffSame = 0, sumDiff = 0;
for (const f of files) {
  const bytes = readFileSync('/work/shared/images/' + f);
  const { data, info } = await sharp(bytes).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const full = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
  const a = await ref.classify(full, 5);
  const aMap = Object.fromEntries(a.map(p => [p.className, p.probability]));
  // same preprocessing as nsfwjs through our model
  const c = tf.tidy(() => model.predict(tf.image.resizeBilinear(full.toFloat().div(255), [height, width], true).reshape([1, height, width, 3]) as tf.Tensor4D));
  const cv = await c.data(); c.dispose(); full.dispose();
  const cTop = model.labels[cv.indexOf(Math.max(...cv))];
  const [b] = await clf.classify([bytes]);
  if (!b?.ok) throw new Error('fail');
  if (cTop === a[0]!.className) agreeSame++;
  if (a[0]!.className === "Neutral") neutralRef++;
  if (b.top[0]!.label === "Neutral") neutralOurs++;
  if (b.top[0]!.label === a[0]!.className) agreeOurs++;
  model.labels.forEach((l, i) => { maxDiffSame = Math.max(maxDiffSame, Math.abs(cv[i]! - aMap[l]!)); });
  for (const p of b.top) { const d = Math.abs(p.score - aMap[p.label]!); maxDiffOurs = Math.max(maxDiffOurs, d); sumDiff += d; }
}
console.log(which, { neutralRef, neutralOurs, n: files.length, agreeSame, maxDiffSame, agreeOurs, maxDiffOurs, meanDiffOurs: sumDiff / files.length / 5 });
