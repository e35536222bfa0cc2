import type { ResultRecord } from '../job/result-record';
import { clockTime, shortDuration } from './clock-time';

const NAME_WIDTH = 28;

/**
 * One result as a line of text:
 *   cat.jpg                       Neutral 0.981  Drawing 0.012  Sexy 0.004   batch 14:03:07.000  latency 812 ms
 *   broken.jpg                    ERROR corrupt: truncated or corrupt image data: ...   batch ...
 */
export function formatResultLine(record: ResultRecord): string {
  const name = (record.name ?? '(unnamed)').padEnd(NAME_WIDTH);
  const what = record.ok
    ? (record.top ?? []).map((t) => `${t.label} ${t.score.toFixed(3)}`).join('  ')
    : `ERROR ${record.kind}: ${record.error}`;
  return `${name}  ${what}   batch ${clockTime(record.batchTime)}  latency ${shortDuration(record.latencyMs)}`;
}

export function formatResultJson(record: ResultRecord): string {
  return JSON.stringify(record);
}
