import sharp from 'sharp';

/** One run of the classify benchmark, as its --json line. */
export interface SweepPoint {
  executors: number;
  batch_size: number;
  engine_img_per_s: number;
  bare_img_per_s: number;
  ratio: number;
  startup_ms: number | null;
  model?: string;
  backend?: string;
  /** The backend the executors reported using (what 'auto' chose). */
  backend_used?: string;
  /** 1-minute load average before and after the run. */
  load_avg_1m?: number[];
}

const WIDTH = 1100;
const HEIGHT = 490;
const COLOURS: Record<number, string> = { 1: '#1f77b4', 2: '#d62728' };

/**
 * Two panels, in the manner of the Ray paper's throughput figures: images/s against the
 * inference batch size (engine solid, bare loop dashed, one colour per executor count),
 * and the engine/bare ratio with the 0.9 target. Drawn as SVG, rendered to PNG by sharp.
 */
/** A headline and a line of detail (model, backend, load): two lines, so neither is cut at the edges. */
export interface PlotTitle {
  headline: string;
  detail: string;
}

export async function renderSweepPlot(points: SweepPoint[], pngPath: string, title: PlotTitle): Promise<void> {
  const batchSizes = [...new Set(points.map((p) => p.batch_size))].sort((a, b) => a - b);
  const executors = [...new Set(points.map((p) => p.executors))].sort((a, b) => a - b);
  const maxRate = niceCeiling(Math.max(...points.flatMap((p) => [p.engine_img_per_s, p.bare_img_per_s])));
  const left = panel(70, 70, 440, 310);
  const right = panel(620, 70, 440, 310);
  const x = (p: typeof left, b: number) => p.x + ((batchSizes.indexOf(b) + 0.5) / batchSizes.length) * p.w;
  const yRate = (v: number) => left.y + left.h - (v / maxRate) * left.h;
  // The ratio axis covers every point (labels of clipped points would lie about where they are).
  const ratios = points.map((p) => p.ratio);
  const ratioMin = Math.min(0.5, Math.floor(Math.min(...ratios) * 10) / 10);
  const ratioMax = Math.max(1.1, Math.ceil(Math.max(...ratios) * 10) / 10);
  const yRatio = (v: number) => right.y + right.h - ((Math.min(ratioMax, Math.max(ratioMin, v)) - ratioMin) / (ratioMax - ratioMin)) * right.h;

  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, sans-serif" font-size="13">
  <rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>
  <text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title.headline)}</text>
  <text x="${WIDTH / 2}" y="44" text-anchor="middle" font-size="12" fill="#444">${escapeXml(title.detail)}</text>`;
  for (const p of [left, right]) svg += `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" fill="none" stroke="#444"/>`;
  for (let i = 0; i <= 5; i++) svg += gridLine(left, yRate((maxRate / 5) * i), ((maxRate / 5) * i).toFixed(0));
  for (let r = ratioMin; r <= ratioMax + 1e-9; r += 0.1) svg += gridLine(right, yRatio(r), r.toFixed(1));
  svg += `<line x1="${right.x}" x2="${right.x + right.w}" y1="${yRatio(0.9)}" y2="${yRatio(0.9)}" stroke="#2ca02c" stroke-dasharray="6 4" stroke-width="1.5"/>
  <text x="${right.x + right.w - 6}" y="${yRatio(0.9) - 6}" text-anchor="end" fill="#2ca02c">target 0.9</text>`;
  for (const b of batchSizes) {
    for (const p of [left, right]) svg += `<text x="${x(p, b)}" y="${p.y + p.h + 20}" text-anchor="middle">${b}</text>`;
  }
  svg += axisTitles(left, 'inference batch size', 'images / s');
  svg += axisTitles(right, 'inference batch size', 'engine / bare');

  for (const e of executors) {
    const series = points.filter((p) => p.executors === e).sort((a, b) => a.batch_size - b.batch_size);
    const colour = COLOURS[e] ?? '#555';
    svg += polyline(series.map((p) => [x(left, p.batch_size), yRate(p.engine_img_per_s)]), colour, '');
    svg += polyline(series.map((p) => [x(left, p.batch_size), yRate(p.bare_img_per_s)]), colour, '6 4');
    svg += polyline(series.map((p) => [x(right, p.batch_size), yRatio(p.ratio)]), colour, '');
    for (const p of series) {
      svg += dot(x(left, p.batch_size), yRate(p.engine_img_per_s), colour, true);
      svg += dot(x(left, p.batch_size), yRate(p.bare_img_per_s), colour, false);
      svg += dot(x(right, p.batch_size), yRatio(p.ratio), colour, true);
      // First series labelled above-left of its points, the second below-right.
      const first = e === executors[0];
      svg += `<text x="${x(right, p.batch_size) + (first ? -8 : 8)}" y="${yRatio(p.ratio) + (first ? -9 : 18)}" text-anchor="${first ? 'end' : 'start'}" fill="${colour}" font-size="11">${p.ratio.toFixed(2)}</text>`;
    }
  }
  const ly = HEIGHT - 28;
  let lx = 90;
  for (const e of executors) {
    const colour = COLOURS[e] ?? '#555';
    svg += `<line x1="${lx}" x2="${lx + 30}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2.5"/><text x="${lx + 36}" y="${ly + 4}">engine, ${e} executor${e === 1 ? '' : 's'}</text>`;
    lx += 200;
    svg += `<line x1="${lx}" x2="${lx + 30}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2.5" stroke-dasharray="6 4"/><text x="${lx + 36}" y="${ly + 4}">bare loop, ${e} process${e === 1 ? '' : 'es'}</text>`;
    lx += 220;
  }
  svg += '</svg>';
  await sharp(Buffer.from(svg)).png().toFile(pngPath);
}

interface Panel {
  x: number;
  y: number;
  w: number;
  h: number;
}

function panel(x: number, y: number, w: number, h: number): Panel {
  return { x, y, w, h };
}

function gridLine(p: Panel, y: number, label: string): string {
  return `<line x1="${p.x}" x2="${p.x + p.w}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${p.x - 8}" y="${y + 4}" text-anchor="end">${label}</text>`;
}

function axisTitles(p: Panel, xTitle: string, yTitle: string): string {
  const cy = p.y + p.h / 2;
  return (
    `<text x="${p.x + p.w / 2}" y="${p.y + p.h + 42}" text-anchor="middle">${xTitle}</text>` +
    `<text x="${p.x - 48}" y="${cy}" text-anchor="middle" transform="rotate(-90 ${p.x - 48} ${cy})">${yTitle}</text>`
  );
}

function polyline(points: [number, number][], colour: string, dash: string): string {
  return `<polyline points="${points.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

function dot(x: number, y: number, colour: string, filled: boolean): string {
  return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${filled ? colour : '#fff'}" stroke="${colour}" stroke-width="2"/>`;
}

function niceCeiling(v: number): number {
  const step = v <= 20 ? 5 : v <= 50 ? 10 : 20;
  return Math.max(step, Math.ceil((v * 1.1) / step) * step);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
