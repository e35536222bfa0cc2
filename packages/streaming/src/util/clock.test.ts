import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SystemClock, type LateTick } from './clock.js';

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
  const lateness: number[] = [];
  const { first, times } = await run(period, 3000, (time) => lateness.push(Date.now() - time));
  // Every batch time, in order, none skipped or repeated.
  times.forEach((t, i) => assert.equal(t, first + i * period));
  // A timer re-armed relative to its callback loses a little each tick, and its lateness
  // adds up (about 600 ms after these 300 ticks, more on a busy machine); against absolute
  // time each tick is only as late as its own timer, so among the last 20 ticks some fire
  // on time or nearly, however long the clock has run.
  assert.ok(times.length >= 200, `${times.length} ticks in 3 s`);
  const recent = Math.min(...lateness.slice(-20));
  assert.ok(recent < 10 * period, `the last 20 ticks were all at least ${recent} ms late`);
});

test('a late tick keeps its batch time, is reported, and the clock catches up', async () => {
  const period = 20;
  const lateness: number[] = [];
  const { first, times, late } = await run(period, 600, (time, index) => {
    lateness.push(Date.now() - time);
    if (index !== 3) return;
    // A stalled driver: the event loop is blocked for more than two periods.
    const until = Date.now() + 3 * period;
    while (Date.now() < until);
  });
  times.forEach((t, i) => assert.equal(t, first + i * period));
  // The ticks missed during the stall ran at once, and the clock is back on time after.
  assert.ok(Math.min(...lateness.slice(8)) < 5 * period, `lateness after the stall: ${lateness.slice(4).join(' ')}`);
  const afterStall = late.find((l) => l.time === first + 4 * period);
  assert.ok(afterStall, `the tick after the stall is reported late (late: ${JSON.stringify(late)})`);
  assert.ok(afterStall.lateMs >= period, `late by ${afterStall.lateMs} ms`);
});

test('sleepUntil resolves once the system clock reads the time, not before; a past time resolves at once', async () => {
  const clock = new SystemClock();
  const due = Date.now() + 120;
  await clock.sleepUntil(due);
  assert.ok(Date.now() >= due, `woke ${due - Date.now()} ms early`);
  const before = Date.now();
  await clock.sleepUntil(before - 1000);
  assert.ok(Date.now() - before < 200, 'a time already passed is not waited for');
});
