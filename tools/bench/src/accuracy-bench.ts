/**
 * Top-1 and top-5 accuracy of an ImageNet model on labelled photos:
 *
 *   npm run bench -- accuracy --images DIR [--model SPEC] [--backend B] [--batch-size N] [--json]
 *
 * Each file's true class is the WordNet id its name starts with, as in ImageNet's own
 * file names ("n01440764_tench.JPEG", "n01440764_10026.JPEG"); files without one are
 * skipped and counted. The images go through the same classifier the executors run
 * (decode, resize and crop as the model's config says, batched predict).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { createClassifier, DEFAULT_MODEL_SPEC, loadModel, type BackendChoice } from '@sluice/vision';

const USAGE = `Usage: npm run bench -- accuracy --images DIR [options]

  --images DIR      photos named after their WordNet id (n01440764_tench.JPEG)
  --model SPEC      an ImageNet model (default: ${DEFAULT_MODEL_SPEC})
  --backend B       auto|wasm|tensorflow (default: auto)
  --batch-size N    images per predict call (default: 8)
  --json            print one JSON object instead of text
`;

export async function accuracyBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      images: { type: 'string' },
      model: { type: 'string', default: DEFAULT_MODEL_SPEC },
      backend: { type: 'string', default: 'auto' },
      'batch-size': { type: 'string', default: '8' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.images) {
    process.stdout.write(USAGE);
    if (!values.help) throw new Error('--images is required');
    return;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const model = await loadModel(values.model, { backend: values.backend as BackendChoice, log });
  if (!model.wnids) throw new Error(`${model.name} has no WordNet ids (wnids.txt), so its answers cannot be checked against ImageNet classes`);
  const classifier = await createClassifier({ model, topK: 5, batchSize: Number(values['batch-size']), log });

  const names = (await readdir(values.images)).sort();
  const labelled = names.filter((name) => /^n\d{8}/.test(name));
  const inputs = await Promise.all(labelled.map(async (name) => ({ name, bytes: await readFile(join(values.images!, name)) })));
  const load = loadavg()[0]!;
  const started = performance.now();
  const results = await classifier.classify(inputs);
  const seconds = (performance.now() - started) / 1000;

  let top1 = 0;
  let top5 = 0;
  const misses: string[] = [];
  const failures: string[] = [];
  results.forEach((result, i) => {
    const truth = labelled[i]!.slice(0, 9);
    if (!result.ok) {
      failures.push(`${labelled[i]}: ${result.error}`);
      return;
    }
    const wnids = result.top.map((t) => t.wnid);
    if (wnids[0] === truth) top1++;
    if (wnids.includes(truth)) top5++;
    else misses.push(`${labelled[i]} -> ${result.top.slice(0, 3).map((t) => `${t.label.split(',')[0]} (${t.wnid}) ${t.score.toFixed(2)}`).join(', ')}`);
  });
  const n = labelled.length;
  const summary = {
    model: model.name,
    backend: model.backend,
    images: n,
    skipped_without_wnid: names.length - n,
    undecodable: failures.length,
    top1: round(top1 / n),
    top5: round(top5 / n),
    top1_count: top1,
    top5_count: top5,
    img_per_s: round(n / seconds),
    load_avg_1m: round(load),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  process.stdout.write(
    `${model.name} on ${model.backend}: top-1 ${summary.top1.toFixed(3)} (${top1}/${n}), top-5 ${summary.top5.toFixed(3)} (${top5}/${n})` +
      `  [${summary.img_per_s} images/s, load ${summary.load_avg_1m}]\n`,
  );
  if (names.length > n) process.stdout.write(`skipped ${names.length - n} files whose names do not start with a WordNet id\n`);
  for (const failure of failures) process.stdout.write(`undecodable: ${failure}\n`);
  for (const miss of misses) process.stdout.write(`not in top 5: ${miss}\n`);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
