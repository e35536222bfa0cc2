import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PID, PidRateEstimator } from './pid-rate-estimator.js';

const close = (actual: number | null, expected: number) => {
  assert.ok(actual !== null, 'an estimate');
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} vs ${expected}`);
};

test("Spark's defaults: proportional 1, integral 0.2, derived 0, minRate 100", () => {
  assert.deepEqual(DEFAULT_PID, { proportional: 1, integral: 0.2, derived: 0, minRate: 100 });
});

test('the first batch with records only sets the starting point', () => {
  const e = new PidRateEstimator(100);
  assert.equal(e.compute(1000, 5000, 50, 0), null);
  // The starting rate is that batch's processing rate (100 000/s): a batch that shows the
  // same rate with no scheduling delay keeps it.
  close(e.compute(1100, 10_000, 100, 0), 100_000);
});

test('batches that tell nothing give no estimate: no records, no processing time, time not moving', () => {
  const e = new PidRateEstimator(100);
  e.compute(1000, 5000, 50, 0);
  assert.equal(e.compute(1100, 0, 50, 0), null);
  assert.equal(e.compute(1100, 5000, 0, 0), null);
  assert.equal(e.compute(1000, 5000, 50, 0), null);
  assert.equal(e.compute(900, 5000, 50, 0), null);
});

test('every term as Spark computes it', () => {
  const batchMs = 1000;
  const [kp, ki, kd] = [0.9, 0.25, 0.1];
  const e = new PidRateEstimator(batchMs, { proportional: kp, integral: ki, derived: kd, minRate: 10 });
  e.compute(10_000, 20_000, 1000, 0); // latestRate 20 000/s, latestError 0, latestTime 10 000
  // Batch 2: 30 000 records in 2 s, after waiting 500 ms, ending 1.5 s after the first.
  const processingRate = 15_000;
  const error = 20_000 - processingRate; // 5000: the rate was too high
  const historical = (500 * processingRate) / batchMs; // 7500
  const dError = (error - 0) / 1.5;
  const expected = 20_000 - kp * error - ki * historical - kd * dError;
  close(e.compute(11_500, 30_000, 2000, 500), expected);
  // Batch 3 builds on batch 2's rate and error.
  const rate3 = 12_000;
  const error3 = expected - rate3;
  const expected3 = expected - kp * error3 - ki * ((100 * rate3) / batchMs) - kd * ((error3 - error) / 1);
  close(e.compute(12_500, 12_000, 1000, 100), expected3);
});

test('scheduling delay pulls the rate below the processing rate, so the backlog drains', () => {
  const e = new PidRateEstimator(1000);
  e.compute(1000, 10_000, 1000, 0);
  const rate = e.compute(2000, 10_000, 1000, 3000);
  // Proportional term: 0 (same rate); integral: 0.2 x 3 s of backlog x 10 000/s.
  close(rate, 10_000 - 0.2 * 30_000);
  assert.ok(rate! < 10_000);
});

test('the rate never goes below minRate', () => {
  const e = new PidRateEstimator(100, { ...DEFAULT_PID, minRate: 250 });
  e.compute(1000, 100_000, 10, 0);
  close(e.compute(1100, 10, 1000, 60_000), 250);
});

test('bad settings are refused with the key to fix', () => {
  assert.throws(() => new PidRateEstimator(0), /positive batch duration/);
  assert.throws(() => new PidRateEstimator(100, { ...DEFAULT_PID, proportional: -1 }), /backpressurePidProportional/);
  assert.throws(() => new PidRateEstimator(100, { ...DEFAULT_PID, integral: Number.NaN }), /backpressurePidIntegral/);
  assert.throws(() => new PidRateEstimator(100, { ...DEFAULT_PID, minRate: 0 }), /backpressurePidMinRate/);
});
