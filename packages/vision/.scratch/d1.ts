import sharp from 'sharp';
import { decodeImage } from '../src/decode.js';
import { imageVariants, pngDeclaring, jpegDeclaring, noise, truncated, leftRedRightBlue } from '../src/test-support/images.js';
const t0 = performance.now();
const v = await imageVariants();
console.log('variants made in', performance.now()-t0);
for (const [k, b] of Object.entries(v)) {
  const m = await sharp(b).metadata();
  try { const d = await decodeImage(b, {width:224,height:224}); console.log(k, m.format, m.space, m.channels, m.depth, m.hasAlpha, '->', d.data.length, d.source, [...d.data.subarray(0,6)]); }
  catch (e) { console.log(k, 'ERR', (e as Error).message); }
}
const bad = {
  empty: Buffer.alloc(0), noise: noise(5000), text: Buffer.from('hello'), svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
  truncJpeg: truncated(v['jpeg']!, 0.6), truncPng: truncated(v.png!, 0.6), truncWebp: truncated(v.webp!, 0.6), truncGif: truncated(v.gif!, 0.6), truncTiff: truncated(v.tiff!, 0.6), truncAvif: truncated(v.avif!, 0.6),
  hugePng: await pngDeclaring(20000,20000), hugeJpeg: await jpegDeclaring(20000,20000), bigButOkPng: await pngDeclaring(5000,5000),
};
for (const [k, b] of Object.entries(bad)) {
  const r0 = process.memoryUsage().rss; const t = performance.now();
  try { await decodeImage(b, {width:224,height:224}); console.log(k, 'OK?!'); } catch (e) { console.log(k, (e as any).kind, (e as Error).message); }
  console.log('   ', (performance.now()-t).toFixed(1), 'ms rss +', ((process.memoryUsage().rss-r0)/1e6).toFixed(1));
}
const o = await leftRedRightBlue().jpeg().withMetadata({orientation: 6}).toBuffer();
const d = await decodeImage(o, {width:224,height:224});
const px = (x:number,y:number)=>[...d.data.subarray((y*224+x)*3,(y*224+x)*3+3)];
console.log(d.source, 'top', px(112,20), 'bottom', px(112,200), 'left', px(20,112), 'right', px(200,112));
