import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { PointResult } from './rate-search.js';

/**
 * The plot of a tune run: the highest sustained rate (top) and the median end-to-end
 * latency at that rate (bottom) against the batch duration, one line per executors x
 * cores (and partitions / inference batch size when the grid has several). Vega-Lite
 * draws it as SVG without a browser; sharp turns the SVG into a PNG.
 */
export async function writePlot(path: string, results: PointResult[], unit: string): Promise<void> {
  const rows = results
    .filter((r) => r.best)
    .map((r) => ({
      batchMs: r.point.batchMs,
      rate: r.maxRate,
      latencyMs: Math.round(r.best!.medianLatencyMs),
      line: lineName(r, results),
    }));
  const x = { field: 'batchMs', type: 'quantitative', title: 'batch duration (ms)', scale: { zero: false } };
  const color = { field: 'line', type: 'nominal', title: 'configuration' };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: rows.length ? 'sluice tune: highest sustained rate and its latency' : 'sluice tune: no rate was sustained',
    data: { values: rows },
    vconcat: [
      {
        width: 460,
        height: 220,
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'rate', type: 'quantitative', title: `sustained rate (${unit}/s)` }, color },
      },
      {
        width: 460,
        height: 220,
        mark: { type: 'line', point: true },
        encoding: { x, y: { field: 'latencyMs', type: 'quantitative', title: 'median latency (ms)' }, color },
      },
    ],
    config: { background: 'white' },
  };
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG(2);
  view.finalize();
  await writeFile(path, await sharp(Buffer.from(svg)).png().toBuffer());
}

/** Executors x cores, plus whichever other knobs vary in the grid (one line each). */
function lineName(r: PointResult, all: PointResult[]): string {
  const varies = (f: (p: PointResult) => unknown) => new Set(all.map(f)).size > 1;
  let name = `${r.point.executors}x${r.point.cores}`;
  if (varies((p) => p.point.partitions)) name += ` p${r.point.partitions}`;
  if (r.point.batchSize !== undefined && varies((p) => p.point.batchSize)) name += ` bs${r.point.batchSize}`;
  return name;
}
