import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listen, runSluice } from './helpers.js';

const example = fileURLToPath(new URL('../../apps/examples/src/stateful-wordcount.ts', import.meta.url));

test('the stateful word count example, run with sluice submit, prints exact running totals', async () => {
  const vocabulary = ['hello', 'world', 'stream', 'state', 'batch'];
  const sent = new Map<string, number>();
  const { server, port } = await listen((socket) => {
    let n = 0;
    // 40 lines over ~2 s, then silence: the totals must end at what was sent (+1 for the
    // initial hello and world).
    const timer = setInterval(() => {
      if (n >= 40) return clearInterval(timer);
      const words = Array.from({ length: 1 + (n % 4) }, (_, i) => vocabulary[(n * 3 + i) % vocabulary.length]!);
      for (const w of words) sent.set(w, (sent.get(w) ?? 0) + 1);
      socket.write(`${words.join(' ')}\n`);
      n++;
    }, 50);
    socket.on('close', () => clearInterval(timer));
  });
  const { code, stdout, stderr } = await runSluice(['submit', '--run-for', '5s', '--batch-duration', '500ms', '--executors', '2', example, '127.0.0.1', String(port)]);
  server.close();
  assert.equal(code, 0, stderr);
  // Per word, the totals printed batch after batch: they grow, and the last is the total sent.
  const printed = new Map<string, number[]>();
  for (const m of stdout.matchAll(/^\(([a-z]+),(\d+)\)$/gm)) {
    printed.set(m[1]!, [...(printed.get(m[1]!) ?? []), Number(m[2])]);
  }
  for (const [word, count] of sent) {
    const totals = printed.get(word) ?? [];
    const initial = word === 'hello' || word === 'world' ? 1 : 0;
    assert.equal(totals.at(-1), count + initial, `${word}: printed ${totals.join(',')}, sent ${count}`);
    for (let i = 1; i < totals.length; i++) assert.ok(totals[i]! > totals[i - 1]!, `${word}: totals must grow: ${totals.join(',')}`);
  }
  assert.match(stderr, /no checkpoint directory set: checkpoints of InternalMapWithStateDStream/);
});
