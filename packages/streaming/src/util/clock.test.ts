import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SystemClock, type LateTick } from './clock';

/** Runs a SystemClock for `runMs` with `onTick`; returns the tick times and the late ticks. */
async function run(periodMs: number, runMs: number, onTick: (time: number, index: number) => void = () => {}) {
  const clock = new SystemClock();
  const first = (Math.floor(Date.now() / periodMs) + 1) * periodMs;
  const times: number[] = [];
  const late: LateTick[] = [];
  const stop = clock.scheduleBatches(
    first,
    periodMs,
    (time) => {
      times.push(time);
      onTick(time, times.length - 1);
      return Promise.resolve();
    },
    (l) => late.push(l),
  );
  await new Promise((resolve) => setTimeout(resolve, first - Date.now() + runMs));
  stop();
  const stoppedAt = Date.now();
  return { first, times, late, stoppedAt };
}

test('the system clock ticks against absolute time: no drift over many short periods', async () => {
  const period = 10;
  const { first, times, stoppedAt } = await run(period, 3000);
  // Every batch time, in order, none skipped or repeated.
  times.forEach((t, i) => assert.equal(t, first + i * period));
  // As many ticks as periods have passed. A timer re-armed relative to its callback
  // loses one every few dozen ticks (its lateness adds up: about 9 of these 300); against
  // absolute time only the last tick or two may still be on their way (a busy machine
  // fires timers a few milliseconds late), however long the clock runs.
  const due = Math.floor((stoppedAt - first) / period) + 1;
  assert.ok(times.length <= due && times.length >= due - 3, `${times.length} ticks, ${due} were due`);
});

test('a late tick keeps its batch time, is reported, and the clock catches up', async () => {
  const period = 20;
  const { first, times, late, stoppedAt } = await run(period, 600, (_time, index) => {
    if (index !== 3) return;
    // A stalled driver: the event loop is blocked for more than two periods.
    const until = Date.now() + 3 * period;
    while (Date.now() < until);
  });
  times.forEach((t, i) => assert.equal(t, first + i * period));
  const due = Math.floor((stoppedAt - first) / period) + 1;
  assert.ok(times.length <= due && times.length >= due - 2, `${times.length} ticks, ${due} were due`);
  const afterStall = late.find((l) => l.time === first + 4 * period);
  assert.ok(afterStall, `the tick after the stall is reported late (late: ${JSON.stringify(late)})`);
  assert.ok(afterStall.lateMs >= period, `late by ${afterStall.lateMs} ms`);
});
