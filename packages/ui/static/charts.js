// Timelines and histograms drawn with uPlot (served from the package, see static-files.ts).
/* global uPlot */
const COLORS = ['#1f6feb', '#e8710a', '#2e7d32', '#8e24aa', '#c62828', '#00838f', '#6d4c41'];

function width(el) {
  return Math.max(260, el.clientWidth || 400);
}

/** A line chart over batch time (seconds since the epoch) with one series per name. */
export function timeline(el, unit, names) {
  const opts = {
    width: width(el),
    height: 150,
    legend: { show: names.length > 1 },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max, min + 1) * 1.1] } },
    axes: [{}, { size: 60, values: (_u, vals) => vals.map((v) => `${+v.toFixed(2)}${unit}`) }],
    series: [{}, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: false } }))],
  };
  const u = new uPlot(opts, [[], ...names.map(() => [])], el);
  return {
    set(x, ys) {
      u.setData([x, ...ys]);
    },
  };
}

/** A histogram: counts of values in 20 bins, drawn as bars. */
export function histogram(el, unit) {
  const bars = uPlot.paths.bars({ size: [0.9, 100] });
  const opts = {
    width: Math.min(360, width(el)),
    height: 150,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
    axes: [{ values: (_u, vals) => vals.map((v) => `${+v.toFixed(1)}${unit}`) }, { size: 45 }],
    series: [{}, { label: 'batches', fill: '#1f6feb88', stroke: '#1f6feb', paths: bars, points: { show: false } }],
  };
  const u = new uPlot(opts, [[], []], el);
  return {
    set(values) {
      const v = values.filter((x) => x !== null && x !== undefined);
      if (v.length === 0) return u.setData([[], []]);
      let min = Infinity;
      let max = -Infinity;
      for (const x of v) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      const n = 20;
      const step = (max - min) / n || 1;
      const counts = new Array(n).fill(0);
      for (const x of v) counts[Math.min(n - 1, Math.floor((x - min) / step))]++;
      u.setData([counts.map((_, i) => min + step * (i + 0.5)), counts]);
    },
  };
}
