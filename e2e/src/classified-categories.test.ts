import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listen, runSluice } from './helpers.js';

const example = fileURLToPath(new URL('../../apps/examples/src/classified-categories.ts', import.meta.url));

test('the classification-results join example, run with sluice submit, counts every result in its category', async () => {
  // The test's own table of what it sends: label -> category as the example must find it.
  const sentLabels: [string | null, string][] = [
    ['tabby, tabby cat', 'cat'],
    ['Egyptian cat', 'cat'],
    ['beagle', 'dog'],
    ['banana', 'food'],
    ['hourglass', 'other'],
    [null, 'unreadable'],
    ['sports car, sport car', 'vehicle'],
  ];
  const expected = new Map<string, number>();
  const { server, port } = await listen((socket) => {
    let n = 0;
    const timer = setInterval(() => {
      if (n >= 35) return clearInterval(timer);
      const [label, category] = sentLabels[(n * 3) % sentLabels.length]!;
      expected.set(category, (expected.get(category) ?? 0) + 1);
      const line = label === null
        ? { name: `img-${n}.png`, ok: false, kind: 'decode', error: 'truncated' }
        : { name: `img-${n}.png`, ok: true, top: [{ label, score: 0.8 }, { label: 'tench, Tinca tinca', score: 0.1 }] };
      socket.write(`${JSON.stringify(line)}\n`);
      n++;
    }, 40);
    socket.on('close', () => clearInterval(timer));
  });
  const { code, stdout, stderr } = await runSluice(['submit', '--run-for', '4s', '--batch-duration', '500ms', '--executors', '2', example, '127.0.0.1', String(port)]);
  server.close();
  assert.equal(code, 0, stderr);
  const printed = new Map<string, number>();
  for (const m of stdout.matchAll(/^\(([a-z]+),(\d+)\)$/gm)) printed.set(m[1]!, (printed.get(m[1]!) ?? 0) + Number(m[2]));
  assert.deepEqual(new Map([...printed].sort()), new Map([...expected].sort()));
});
