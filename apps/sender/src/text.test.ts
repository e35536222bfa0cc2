import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SENTENCES } from './sentences.js';
import { readAll, SenderProcess } from './sender-process.js';

describe('sluice-sender text', { timeout: 30_000 }, () => {
  test('serves --count sentences, one per line, cycling through the list', async () => {
    const sender = new SenderProcess(['text', '--listen', '127.0.0.1:0', '--count', '45', '--once']);
    try {
      const text = (await readAll({ port: await sender.port() })).toString('utf8');
      const expected = Array.from({ length: 45 }, (_, i) => `${SENTENCES[i % SENTENCES.length]}\n`).join('');
      assert.equal(text, expected);
      assert.equal((await sender.exited).code, 0);
    } finally {
      sender.stop();
    }
  });

  test('--rate spaces the lines out', async () => {
    const sender = new SenderProcess(['text', '--listen', '127.0.0.1:0', '--rate', '100', '--count', '21', '--once']);
    try {
      const port = await sender.port();
      const started = performance.now();
      const lines = (await readAll({ port })).toString('utf8').split('\n').filter((l) => l !== '');
      const elapsed = performance.now() - started;
      assert.equal(lines.length, 21);
      assert.ok(elapsed >= 180, `21 lines at 100/s took ${elapsed.toFixed(0)} ms`);
    } finally {
      sender.stop();
    }
  });
});
