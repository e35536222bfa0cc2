import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobSettingsOf } from './command-settings.js';
import { parseClassifyArgs } from './parse-options.js';

describe('sluice-classify command line', () => {
  it('reads every option', () => {
    const cmd = parseClassifyArgs([
      '--source', 'socket://127.0.0.1:9999',
      '--batch-duration', '500ms',
      '--block-interval', '100ms',
      '--executors', '3',
      '--executor-cores', '2',
      '--partitions', '4',
      '--batch-size', '10',
      '--model', 'nsfwjs:inception_v3',
      '--top-k', '2',
      '--backend', 'wasm',
      '--output', 'jsonl:out.jsonl',
      '--count', '100',
      '--run-for', '1m',
      '--summary-json', 'summary.json',
      '--conf', 'receiverMaxRate=50',
    ]);
    assert.deepEqual(cmd.source, { kind: 'socket', host: '127.0.0.1', port: 9999 });
    assert.deepEqual(cmd.conf, { receiverMaxRate: 50, executors: 3, executorCores: 2, batchDuration: 500, blockInterval: 100 });
    assert.deepEqual(cmd.output, { kind: 'jsonl', path: 'out.jsonl' });
    assert.equal(cmd.partitions, 4);
    assert.equal(cmd.batchSize, 10);
    assert.equal(cmd.model, 'nsfwjs:inception_v3');
    assert.equal(cmd.topK, 2);
    assert.equal(cmd.backend, 'wasm');
    assert.equal(cmd.count, 100);
    assert.equal(cmd.runForMs, 60_000);
    assert.equal(cmd.summaryJsonPath, 'summary.json');
  });

  it('parses Kafka and device sources and outputs', () => {
    const kafka = parseClassifyArgs(['--source', 'kafka://a:9092,b:9093/images', '--starting-offsets', 'earliest', '--kafka-group', 'g1', '--output', 'kafka://a:9092/labels']);
    assert.deepEqual(kafka.source, { kind: 'kafka', brokers: 'a:9092,b:9093', topic: 'images', groupId: 'g1', startingOffsets: 'earliest', maxRatePerPartition: 0 });
    const capped = parseClassifyArgs(['--source', 'kafka://a:9092/images', '--max-rate-per-partition', '20']);
    assert.equal(capped.source?.kind === 'kafka' && capped.source.maxRatePerPartition, 20);
    assert.throws(() => parseClassifyArgs(['--source', 'kafka://a:9092/images', '--max-rate-per-partition', '0']), /--max-rate-per-partition must be an integer >= 1/);
    assert.throws(() => parseClassifyArgs(['--source', 'socket://localhost:1', '--max-rate-per-partition', '5']), /goes with a Kafka source/);
    assert.deepEqual(kafka.output, { kind: 'kafka', brokers: 'a:9092', topic: 'labels' });
    assert.deepEqual(parseClassifyArgs(['--source', 'device:/tmp/cam.fifo']).source, { kind: 'device', path: '/tmp/cam.fifo' });
    assert.deepEqual(parseClassifyArgs(['--source', 'socket://[::1]:7000']).source, { kind: 'socket', host: '::1', port: 7000 });
  });

  it('defaults the partitions to executors x cores', () => {
    const cmd = parseClassifyArgs(['--source', 'socket://localhost:1', '--executors', '3', '--executor-cores', '2']);
    assert.equal(jobSettingsOf(cmd, cmd.source!).partitions, 6);
    const keep = parseClassifyArgs(['--source', 'socket://localhost:1', '--partitions', '0']);
    assert.equal(jobSettingsOf(keep, keep.source!).partitions, 0);
  });

  it('refuses mistakes with a message naming the option', () => {
    const refused: [string[], RegExp][] = [
      [[], /--source is required/],
      [['--source', 'http://x:1'], /not one of socket:\/\/host:port/],
      [['--source', 'socket://host'], /is not host:port/],
      [['--source', 'socket://host:70000'], /port 70000 is not in 1-65535/],
      [['--source', 'kafka://localhost:9092'], /name a topic/],
      [['--source', 'device:'], /needs a path/],
      [['--source', 'socket://h:1', '--output', 'csv:x'], /--output "csv:x" is not one of/],
      [['--source', 'socket://h:1', '--batch-size', '0'], /--batch-size must be an integer >= 1/],
      [['--source', 'socket://h:1', '--backend', 'gpu'], /--backend must be one of/],
      [['--source', 'socket://h:1', '--model', 'nsfwjs:resnet'], /unknown nsfwjs model "resnet"/],
      [['--source', 'socket://h:1', '--model', '/no/such/model'], /no such directory/],
      [['--source', 'socket://h:1', '--batch-duration', 'soon'], /invalid --batch-duration "soon"/],
      [['--source', 'socket://h:1', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['--demo', '--source', 'socket://h:1'], /--demo brings its own source/],
    ];
    for (const [argv, message] of refused) assert.throws(() => parseClassifyArgs(argv), message, argv.join(' '));
  });

  it('accepts --demo and --help without a source', () => {
    assert.equal(parseClassifyArgs(['--demo']).demoImages, 12);
    assert.equal(parseClassifyArgs(['--demo', '--demo-images', '5']).demoImages, 5);
    assert.equal(parseClassifyArgs(['--help']).help, true);
  });
});
