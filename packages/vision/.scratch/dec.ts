import sharp from 'sharp';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeImage } from '../src/decode.js';
sharp.concurrency(1); sharp.cache(false);
const imgs = readdirSync('/work/shared/images').map(f => readFileSync('/work/shared/images/' + f));
const variants: Record<string, (b: Buffer) => Promise<unknown>> = {
  bare: (b) => sharp(b).resize(224, 224, { fit: 'fill' }).raw().toBuffer(),
  metadataOnly: (b) => sharp(b).metadata(),
  rotate: (b) => sharp(b).rotate().resize(224, 224, { fit: 'fill' }).raw().toBuffer(),
  rotFlatten: (b) => sharp(b).rotate().flatten({ background: '#fff' }).resize(224, 224, { fit: 'fill' }).raw().toBuffer(),
  rotFlatSrgb: (b) => sharp(b, { failOn: 'error' }).rotate().flatten({ background: '#fff' }).resize(224, 224, { fit: 'fill' }).toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' }).toBuffer(),
  decodeImage: (b) => decodeImage(b, { width: 224, height: 224 }),
  jpegDecodeOnly: (b) => sharp(b).raw().toBuffer(),
};
for (let pass = 0; pass < 2; pass++) for (const [k, fn] of Object.entries(variants)) {
  const t = performance.now();
  for (const b of imgs) await fn(b);
  if (pass) console.log(k.padEnd(16), ((performance.now() - t) / imgs.length).toFixed(2), 'ms/img');
}
