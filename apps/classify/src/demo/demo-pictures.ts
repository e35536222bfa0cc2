/**
 * Pictures for the demo and the tests, drawn as SVG from a seeded generator (so every
 * run draws the same ones): gradients, shapes, stripes, text. No image files ship with
 * the project.
 */

import { SeededRandom } from '@sluice/protocol';

type Draw = (w: number, h: number, rnd: () => number) => string;

/** A seeded generator (the sender's mulberry32) as a plain function, for the drawings. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

// Hues from yellow-green round to magenta: skin tones (reds and oranges) make a
// content-moderation model see things that are not in the picture.
const colour = (rnd: () => number) => `hsl(${60 + Math.floor(rnd() * 260)},${40 + Math.floor(rnd() * 50)}%,${25 + Math.floor(rnd() * 50)}%)`;
const n = (x: number) => x.toFixed(1);

const sunset: Draw = (w, h, rnd) => `
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="${colour(rnd)}"/><stop offset="1" stop-color="${colour(rnd)}"/></linearGradient></defs>
  <rect width="${w}" height="${h}" fill="url(#g)"/>
  <circle cx="${n(w * (0.2 + rnd() * 0.6))}" cy="${n(h * 0.45)}" r="${n(Math.min(w, h) * 0.15)}" fill="#ffd24a"/>
  <polygon points="0,${h} ${n(w * 0.3)},${n(h * 0.5)} ${n(w * 0.55)},${n(h * 0.8)} ${n(w * 0.8)},${n(h * 0.45)} ${w},${h}" fill="${colour(rnd)}"/>`;

const shapes: Draw = (w, h, rnd) => {
  let out = `<rect width="${w}" height="${h}" fill="${colour(rnd)}"/>`;
  for (let i = 0; i < 12; i++) {
    const x = rnd() * w;
    const y = rnd() * h;
    const s = (0.05 + rnd() * 0.2) * Math.min(w, h);
    out +=
      rnd() < 0.5
        ? `<circle cx="${n(x)}" cy="${n(y)}" r="${n(s)}" fill="${colour(rnd)}"/>`
        : `<rect x="${n(x)}" y="${n(y)}" width="${n(s * 1.5)}" height="${n(s)}" transform="rotate(${Math.floor(rnd() * 90)} ${n(x)} ${n(y)})" fill="${colour(rnd)}"/>`;
  }
  return out;
};

const stripes: Draw = (w, h, rnd) => {
  const count = 6 + Math.floor(rnd() * 10);
  const a = colour(rnd);
  const b = colour(rnd);
  let out = `<rect width="${w}" height="${h}" fill="${a}"/><g transform="rotate(${Math.floor(rnd() * 60) - 30} ${w / 2} ${h / 2})">`;
  for (let i = -count; i < 2 * count; i += 2) out += `<rect x="${n((i * w) / count)}" y="${-h}" width="${n(w / count)}" height="${3 * h}" fill="${b}"/>`;
  return out + '</g>';
};

const poster: Draw = (w, h, rnd) => {
  const words = ['SLUICE', 'STREAM', 'BATCH', 'HELLO', 'CAMERA', 'RIVER', 'TENSOR'];
  const word = words[Math.floor(rnd() * words.length)]!;
  return `<rect width="${w}" height="${h}" fill="${colour(rnd)}"/>
  <rect x="${n(w * 0.08)}" y="${n(h * 0.08)}" width="${n(w * 0.84)}" height="${n(h * 0.84)}" fill="none" stroke="#fff" stroke-width="${n(Math.min(w, h) * 0.02)}"/>
  <text x="50%" y="55%" text-anchor="middle" font-family="sans-serif" font-weight="bold" font-size="${n(w / (word.length * 0.75))}" fill="#fff">${word}</text>`;
};

const rings: Draw = (w, h, rnd) => {
  let out = `<defs><radialGradient id="r"><stop offset="0" stop-color="${colour(rnd)}"/><stop offset="1" stop-color="${colour(rnd)}"/></radialGradient></defs>
  <rect width="${w}" height="${h}" fill="url(#r)"/>`;
  const cx = w * (0.3 + rnd() * 0.4);
  const cy = h * (0.3 + rnd() * 0.4);
  for (let r = Math.max(w, h); r > 4; r *= 0.8) out += `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="none" stroke="${colour(rnd)}" stroke-width="${n(r * 0.06)}"/>`;
  return out;
};

const checkerboard: Draw = (w, h, rnd) => {
  const cell = Math.max(8, Math.floor(Math.min(w, h) / (4 + Math.floor(rnd() * 8))));
  const a = colour(rnd);
  let out = `<rect width="${w}" height="${h}" fill="${colour(rnd)}"/>`;
  for (let y = 0; y < h; y += cell) for (let x = (y / cell) % 2 === 0 ? 0 : cell; x < w; x += 2 * cell) out += `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${a}"/>`;
  return out;
};

const skyline: Draw = (w, h, rnd) => {
  let out = `<rect width="${w}" height="${h}" fill="#101b3a"/><circle cx="${n(w * 0.8)}" cy="${n(h * 0.2)}" r="${n(Math.min(w, h) * 0.07)}" fill="#f4f1d0"/>`;
  for (let x = 0; x < w; ) {
    const bw = w * (0.05 + rnd() * 0.1);
    const bh = h * (0.2 + rnd() * 0.6);
    out += `<rect x="${n(x)}" y="${n(h - bh)}" width="${n(bw)}" height="${n(bh)}" fill="${colour(rnd)}"/>`;
    for (let wy = h - bh + 6; wy < h - 6; wy += 14) {
      for (let wx = x + 4; wx < x + bw - 6; wx += 10) if (rnd() < 0.4) out += `<rect x="${n(wx)}" y="${n(wy)}" width="4" height="6" fill="#ffe98a"/>`;
    }
    x += bw + 2;
  }
  return out;
};

const THEMES: [string, Draw][] = [
  ['sunset', sunset],
  ['shapes', shapes],
  ['stripes', stripes],
  ['poster', poster],
  ['rings', rings],
  ['checks', checkerboard],
  ['skyline', skyline],
];

const SIZES: [number, number][] = [
  [320, 240],
  [640, 480],
  [800, 600],
  [480, 640],
  [1024, 576],
  [256, 256],
  [1280, 720],
  [150, 400],
];

export interface PictureSpec {
  /** Short enough for the 28-byte name field of an image frame. */
  theme: string;
  width: number;
  height: number;
  svg: string;
}

/** The i-th demo picture (0-based). */
export function demoPicture(i: number): PictureSpec {
  const rnd = seededRandom(0x5eed + i * 7919);
  const [theme, draw] = THEMES[i % THEMES.length]!;
  const [width, height] = SIZES[(i * 3) % SIZES.length]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${draw(width, height, rnd)}</svg>`;
  return { theme, width, height, svg };
}
