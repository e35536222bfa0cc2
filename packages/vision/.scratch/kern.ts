import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { loadModel } from '../src/index.js';
import { readFileSync, readdirSync } from 'node:fs';
const files = readdirSync('/work/shared/images');
const model = await loadModel(process.argv[2] ?? 'nsfwjs:mobilenet_v2', { log: () => {} });
const S = model.inputSize.width;
const probs = async (rgb: Uint8Array, h: number, w: number, resizeInTf: boolean) => {
  const t = tf.tidy(() => { let x = tf.tensor3d(rgb, [h, w, 3], 'int32').toFloat().div(255) as tf.Tensor3D; if (resizeInTf) x = tf.image.resizeBilinear(x, [S, S], true); return model.predict(x.reshape([1, S, S, 3]) as tf.Tensor4D); });
  const v = await t.data(); t.dispose(); return Array.from(v);
};
const variants: Record<string, (b: Buffer) => Promise<{data: Buffer}>> = {};
for (const kernel of ['nearest', 'linear', 'cubic', 'mitchell', 'lanczos3'] as const) {
  variants[kernel] = (b) => sharp(b).rotate().resize(S, S, { fit: 'fill', kernel }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  variants[kernel + '-noshrink'] = (b) => sharp(b).rotate().resize(S, S, { fit: 'fill', kernel, fastShrinkOnLoad: false }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}
const stats: Record<string, { agree: number; diff: number; max: number; ms: number }> = {};
for (const f of files) {
  const bytes = readFileSync('/work/shared/images/' + f);
  const full = await sharp(bytes).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const ref = await probs(full.data, full.info.height, full.info.width, true);
  const refTop = ref.indexOf(Math.max(...ref));
  for (const [k, fn] of Object.entries(variants)) {
    const t0 = performance.now();
    const { data } = await fn(bytes);
    const ms = performance.now() - t0;
    const p = await probs(data, S, S, false);
    const s = (stats[k] ??= { agree: 0, diff: 0, max: 0, ms: 0 });
    if (p.indexOf(Math.max(...p)) === refTop) s.agree++;
    const d = Math.max(...p.map((v, i) => Math.abs(v - ref[i]!)));
    s.diff += d / files.length; s.max = Math.max(s.max, d); s.ms += ms / files.length;
  }
}
console.table(stats);
