import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { filter } from 'rxjs';
import { ListenerBus } from './listener-bus.js';
import type { StreamingEvent } from './streaming-listener.js';

const started = (time: number): StreamingEvent => ({ type: 'onStreamingStarted', payload: { time } });

test('a listener that throws is reported once and removed; the other listeners go on', () => {
  const reports: string[] = [];
  const bus = new ListenerBus((line) => reports.push(line));
  const seen: number[] = [];
  let calls = 0;
  bus.addListener({
    onStreamingStarted: () => {
      calls++;
      throw new Error('listener bug');
    },
  });
  bus.addListener({ onStreamingStarted: (e) => void seen.push(e.time) });
  bus.post(started(1));
  bus.post(started(2));
  assert.equal(calls, 1, 'the throwing listener is not called again');
  assert.deepEqual(seen, [1, 2]);
  assert.equal(reports.length, 1);
  assert.match(reports[0] ?? '', /listener failed on onStreamingStarted and was removed: Error: listener bug/);
});

test('an events$ subscriber that throws is reported and unsubscribed, and does not crash the process', async () => {
  const reports: string[] = [];
  const bus = new ListenerBus((line) => reports.push(line));
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    let calls = 0;
    const seen: number[] = [];
    const sub = bus.events$.subscribe(() => {
      calls++;
      throw new Error('subscriber bug');
    });
    bus.events$.subscribe({ next: (e) => void seen.push(e.type === 'onStreamingStarted' ? e.payload.time : -1) });
    bus.post(started(1));
    bus.post(started(2));
    await sleep(20);
    assert.equal(calls, 1);
    assert.equal(sub.closed, true, 'the throwing subscription is closed');
    assert.deepEqual(seen, [1, 2]);
    assert.equal(reports.length, 1);
    assert.match(reports[0] ?? '', /events\$ subscriber failed on onStreamingStarted and was unsubscribed: Error: subscriber bug/);
    assert.deepEqual(uncaught, []);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
});

test('a subscriber that throws down an operator pipe does not crash the process', async () => {
  const bus = new ListenerBus(() => {});
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  const stderr: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0);
  try {
    const seen: number[] = [];
    bus.events$.pipe(filter((e) => e.type === 'onStreamingStarted')).subscribe(() => {
      throw new Error('piped bug');
    });
    bus.events$.subscribe((e) => void seen.push(e.type === 'onStreamingStarted' ? e.payload.time : -1));
    bus.post(started(1));
    await sleep(20);
    assert.deepEqual(seen, [1]);
    assert.deepEqual(uncaught, []);
    assert.match(stderr.join(''), /an RxJS subscriber failed: Error: piped bug/);
  } finally {
    process.stderr.write = write;
    process.off('uncaughtException', onUncaught);
  }
});
