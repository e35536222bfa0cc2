import { parseKafkaAddress } from './source-spec.js';

/** Where results go, as given to --output. */
export type OutputSpec =
  | { kind: 'stdout' }
  | { kind: 'jsonl'; path: string }
  | { kind: 'kafka'; brokers: string; topic: string };

/** stdout | jsonl:<file> (jsonl:- for standard output) | kafka://brokers/topic */
export function parseOutputSpec(text: string): OutputSpec {
  if (text === 'stdout') return { kind: 'stdout' };
  if (text.startsWith('jsonl:')) {
    const path = text.slice('jsonl:'.length);
    if (path === '') throw new Error('--output jsonl: needs a file name (or - for standard output), e.g. jsonl:results.jsonl');
    return { kind: 'jsonl', path };
  }
  if (text.startsWith('kafka://')) return { kind: 'kafka', ...parseKafkaAddress(text, '--output') };
  throw new Error(`--output "${text}" is not one of stdout, jsonl:<file>, kafka://brokers/topic`);
}
