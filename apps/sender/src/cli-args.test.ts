import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { integerOption, listenOption, probabilityOption, UsageError } from './cli-args.js';
import { Pacer } from './pacer.js';

describe('option parsing', () => {
  test('listen addresses', () => {
    assert.deepEqual(listenOption(undefined, '127.0.0.1:9999'), { host: '127.0.0.1', port: 9999 });
    assert.deepEqual(listenOption('0.0.0.0:5000', ''), { host: '0.0.0.0', port: 5000 });
    assert.deepEqual(listenOption('[::1]:5000', ''), { host: '::1', port: 5000 });
    assert.deepEqual(listenOption(':0', ''), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(listenOption('7000', ''), { host: '127.0.0.1', port: 7000 });
    for (const bad of ['localhost', 'host:99999', 'host:', '::1:80']) assert.throws(() => listenOption(bad, ''), UsageError, bad);
  });

  test('numbers and probabilities', () => {
    assert.equal(integerOption('12', '--count'), 12);
    assert.equal(integerOption('0', '--size', 0), 0);
    assert.equal(integerOption(undefined, '--count'), undefined);
    for (const bad of ['0', '-1', '1.5', 'ten', '']) assert.throws(() => integerOption(bad, '--count'), UsageError, bad);
    assert.equal(probabilityOption('0.25', '--garbage'), 0.25);
    assert.equal(probabilityOption(undefined, '--garbage'), 0);
    for (const bad of ['1.5', '-0.1', 'often', '']) assert.throws(() => probabilityOption(bad, '--garbage'), UsageError, bad);
  });
});

describe('Pacer', () => {
  test('without a rate everything is due at once', async () => {
    assert.equal(await new Pacer(undefined).take(1000), 1000);
  });

  test('with a rate items are released at that pace on average', async () => {
    const pacer = new Pacer(200);
    const started = performance.now();
    let released = 0;
    while (released < 41) released += await pacer.take(41 - released);
    const elapsed = performance.now() - started;
    // 41 items at 200/s: the last is due 200 ms after the first.
    assert.ok(elapsed >= 190 && elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
  });
});
