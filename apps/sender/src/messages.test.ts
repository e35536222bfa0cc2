import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readAll, SenderProcess } from './sender-process.js';

async function serveOnce(args: string[]): Promise<{ stream: Buffer; elapsedMs: number; stderr: string }> {
  const sender = new SenderProcess(['messages', '--listen', '127.0.0.1:0', '--once', ...args]);
  try {
    const port = await sender.port();
    const started = performance.now();
    const stream = await readAll({ port });
    const elapsedMs = performance.now() - started;
    const exit = await sender.exited;
    assert.equal(exit.code, 0, exit.stderr);
    return { stream, elapsedMs, stderr: exit.stderr };
  } finally {
    sender.stop();
  }
}

describe('sluice-sender messages', { timeout: 30_000 }, () => {
  test('length-prefixed: exactly --count messages of --size bytes', async () => {
    // More messages than fit one prebuilt block, so the last write is a partial block.
    const { stream, stderr } = await serveOnce(['--size', '100', '--count', '25000']);
    let at = 0;
    let messages = 0;
    while (at < stream.length) {
      assert.equal(stream.readUInt32BE(at), 100, `length prefix of message ${messages}`);
      at += 104;
      messages++;
    }
    assert.equal(at, stream.length);
    assert.equal(messages, 25_000);
    assert.match(stderr, /done: sent 25000 messages/);
  });

  test('newline: --count lines of --size characters', async () => {
    const { stream } = await serveOnce(['--size', '50', '--count', '1000', '--format', 'newline']);
    const lines = stream.toString('utf8').split('\n');
    assert.equal(lines.pop(), '', 'the stream ends with a newline');
    assert.equal(lines.length, 1000);
    assert.ok(lines.every((line) => line.length === 50));
  });

  test('--seconds bounds the sending time', async () => {
    const { stream, elapsedMs } = await serveOnce(['--size', '1000', '--seconds', '0.3']);
    assert.ok(stream.length > 0);
    assert.equal(stream.length % 1004, 0, 'only whole messages');
    assert.ok(elapsedMs >= 250 && elapsedMs < 5000, `took ${elapsedMs.toFixed(0)} ms`);
  });
});
