/**
 * sluice-classify from a Kafka topic to a Kafka topic: every image (key = name, value =
 * bytes) gets exactly one JSON result, written in one transaction with the input offsets.
 * Uses KAFKA_BROKERS, or starts a local broker for this file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brokenImages, renderPicture } from '@sluice/classify/testing';
import { readCommitted, testKafka, uniqueName, type TestKafka } from '../fixtures/kafka-helpers.js';

const classifyBin = fileURLToPath(new URL('../../apps/classify/bin/sluice-classify.mjs', import.meta.url));

describe('sluice-classify with Kafka', { timeout: 300_000 }, () => {
  let k: TestKafka;
  before(async () => {
    k = await testKafka();
  });
  after(async () => {
    await k?.close();
  });

  test('kafka:// in and out: one result per image, errors included, exactly once', async () => {
    const input = uniqueName('classify-in');
    const output = uniqueName('classify-out');
    await k.admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 1 }], waitForLeaders: true });
    const images = [...(await Promise.all([0, 1, 2, 3, 4, 5].map(renderPicture))), ...(await brokenImages())];
    await k.producer.send({ topic: input, messages: images.map((i) => ({ key: i.name, value: i.bytes })) });

    const child = spawn(
      process.execPath,
      [
        classifyBin,
        '--source', `kafka://${k.brokers}/${input}`,
        '--starting-offsets', 'earliest',
        '--kafka-group', uniqueName('classify-group'),
        '--output', `kafka://${k.brokers}/${output}`,
        '--batch-duration', '500ms',
        '--count', String(images.length),
        '--run-for', '90s',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.match(stderr, new RegExp(`sluice-classify: ${images.length} images in `));

    const records = (await readCommitted(k.kafka, output, images.length, 20_000)).map(
      (v) => JSON.parse(v) as { name: string; ok: boolean; kind?: string; top?: { label: string; wnid?: string }[]; sentAt?: number; latencyMs: number },
    );
    assert.deepEqual(records.map((r) => r.name).sort(), images.map((i) => i.name).sort(), 'one result per image');
    for (const r of records) {
      assert.ok(typeof r.sentAt === 'number' && r.latencyMs >= 0, `${r.name}: latency from the record timestamp`);
      if (r.name.startsWith('broken-')) assert.equal(r.ok, false, r.name);
      else assert.ok(r.ok && r.top!.every((t) => t.label !== '' && /^n\d{8}$/.test(t.wnid ?? '')), r.name);
    }
    assert.deepEqual(records.filter((r) => !r.ok).map((r) => r.kind).sort(), ['corrupt', 'empty', 'too_large', 'unsupported_format']);
  });

  test('a backlog of 300 images from earliest: the first result comes before a tenth of it is classified, every image once, at the rate backpressure sets', async () => {
    const input = uniqueName('classify-backlog');
    await k.admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }], waitForLeaders: true });
    const pictures = await Promise.all([0, 1, 2, 3, 4, 5].map(renderPicture));
    const summaryPath = join(await mkdtemp(join(tmpdir(), 'classify-backlog-')), 'summary.json');
    const names = Array.from({ length: 300 }, (_, i) => `backlog-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await k.producer.send({ topic: input, messages: names.slice(i, i + 50).map((name, j) => ({ key: name, value: pictures[(i + j) % pictures.length]!.bytes })) });
    }

    const child = spawn(
      process.execPath,
      [
        classifyBin,
        '--source', `kafka://${k.brokers}/${input}`,
        '--starting-offsets', 'earliest',
        '--kafka-group', uniqueName('classify-group'),
        '--model', 'nsfwjs:mobilenet_v2',
        '--output', 'jsonl:-',
        '--executors', '2',
        '--batch-size', '8',
        '--count', String(names.length),
        '--run-for', '150s',
        '--summary-json', summaryPath,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const lines: string[] = [];
    let firstLineAt: number | null = null;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      firstLineAt ??= Date.now();
      pending += t;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts.filter((l) => l !== ''));
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    const results = lines.map((l) => JSON.parse(l) as { name: string; ok: boolean; classifiedAt: number });
    assert.deepEqual(results.map((r) => r.name).sort(), names, 'every image exactly once');
    assert.ok(results.every((r) => r.ok), 'every image classified');
    // Executors and this process share the clock: what was classified when the first result appeared.
    const classifiedBeforeFirst = results.filter((r) => r.classifiedAt <= firstLineAt!).length;
    assert.ok(classifiedBeforeFirst < names.length / 10, `${classifiedBeforeFirst} of ${names.length} images were classified before the first result was written`);
    assert.match(stderr, /backlog {5}300 images waiting at the start, worked off /);
    // Backpressure is the classifier's default for Kafka: the first batches are cut at its
    // initial rate (2 executors x 1 core x 8 images per 1 s batch), then the PID
    // controller sets the rate from what the batches showed.
    const { source_rates: rates } = JSON.parse(await readFile(summaryPath, 'utf8')) as { source_rates: number[] };
    assert.equal(rates[0], 16, `rates per batch: ${rates.join(' ')}`);
    assert.ok(rates.some((r) => r !== 16), `the controller set rates of its own: ${rates.join(' ')}`);
    assert.match(stderr, /rate {8}16 .* images\/s, batch by batch \(backpressure\)/);
  });
});
