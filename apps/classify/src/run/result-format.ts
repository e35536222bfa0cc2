import type { ResultRecord } from '../job/result-record.js';
import { clockTime, shortDuration } from './clock-time.js';

const NAME_WIDTH = 28;

/**
 * One result as a line of text:
 *   01-chelsea.png                tiger cat 0.401  Egyptian cat 0.342  tabby 0.169   batch 14:03:07.000  latency 812 ms
 *   broken.jpg                    ERROR corrupt: truncated or corrupt image data: ...   batch ...
 */
export function formatResultLine(record: ResultRecord): string {
  const name = (record.name ?? '(unnamed)').padEnd(NAME_WIDTH);
  const what = record.ok
    ? (record.top ?? []).map((t) => `${shortLabel(t.label)} ${t.score.toFixed(3)}`).join('  ')
    : `ERROR ${record.kind}: ${record.error}`;
  return `${name}  ${what}   batch ${clockTime(record.batchTime)}  latency ${shortDuration(record.latencyMs)}`;
}

/**
 * ImageNet class names list synonyms ("tabby, tabby cat"); a line (and the summary)
 * shows the first. JSON output keeps the whole name.
 */
export function shortLabel(label: string): string {
  return label.split(',')[0]!.trim();
}

export function formatResultJson(record: ResultRecord): string {
  return JSON.stringify(record);
}
