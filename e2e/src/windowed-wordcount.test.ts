import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listen, runSluice } from './helpers.js';

const example = fileURLToPath(new URL('../../apps/examples/src/windowed-wordcount.ts', import.meta.url));

/**
 * Windows of 3 batches sliding by 1: every batch is in exactly 3 windows, so over the
 * whole run the counts printed for a word add up to 3 times what was sent, whichever
 * batches the lines fell into (the sender stops well before the end, so its last batches
 * also slide through 3 windows). A block freed too early, or a batch counted twice,
 * breaks the sum.
 */
for (const placement of ['driver', 'executor'] as const) {
  test(`the windowed word count example, run with sluice submit (receiver on the ${placement}): each line is counted in exactly 3 windows`, async () => {
    const vocabulary = ['window', 'slide', 'batch', 'block', 'stream', 'remember'];
    const sent = new Map<string, number>();
    const { server, port } = await listen((socket) => {
      let n = 0;
      const timer = setInterval(() => {
        if (n >= 30) return clearInterval(timer);
        const words = Array.from({ length: 1 + (n % 5) }, (_, i) => vocabulary[(n * 7 + i) % vocabulary.length]!);
        for (const w of words) sent.set(w, (sent.get(w) ?? 0) + 1);
        socket.write(`${words.join(' ')}\n`);
        n++;
      }, 50);
      socket.on('close', () => clearInterval(timer));
    });
    const { code, stdout, stderr } = await runSluice([
      'submit', '--run-for', '6s', '--batch-duration', '500ms', '--executors', '2', '--receiver-placement', placement,
      example, '127.0.0.1', String(port), '1500ms', '500ms',
    ]);
    server.close();
    assert.equal(code, 0, stderr);
    const times = [...stdout.matchAll(/^Time: (\d+) ms$/gm)].map((m) => Number(m[1]));
    assert.ok(times.length >= 8, `a window every 500 ms: ${times.length}`);
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 500);
    const printed = new Map<string, number>();
    for (const m of stdout.matchAll(/^\(([a-z]+),(\d+)\)$/gm)) printed.set(m[1]!, (printed.get(m[1]!) ?? 0) + Number(m[2]));
    const tripled = new Map([...sent].map(([w, n]) => [w, 3 * n]));
    assert.deepEqual(new Map([...printed].sort()), new Map([...tripled].sort()));
  });
}

/**
 * --demo: the driver starts the demo text server. A receiver placed on an executor is
 * built from the executor's own graph and must connect to that same server.
 */
test('the windowed word count example with --demo and the receiver on an executor counts the demo text', async () => {
  const { code, stdout, stderr } = await runSluice([
    'submit', '--run-for', '5s', '--batch-duration', '500ms', '--executors', '2', '--receiver-placement', 'executor',
    example, '--demo', '1s', '500ms',
  ]);
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /could not connect/);
  const counted = [...stdout.matchAll(/^\(([a-z]+),(\d+)\)$/gm)];
  assert.ok(counted.some((m) => m[1] === 'stream'), `the demo's words are counted:\n${stdout}`);
});
