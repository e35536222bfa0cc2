import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport, runChaos, type ChaosReport } from '../chaos/chaos-run.js';

// The CI-sized chaos runs (npm run chaos -- --seconds N [--device] is the long one): a
// running count per key from a reliable source with the write-ahead log, while executors
// and the driver are killed with kill -9 and the driver restarted from its checkpoint.
test('chaos: executor and driver kills lose nothing, counts stay exact, no output twice', { timeout: 180_000 }, async () => {
  const report = await runChaos({
    seconds: 26,
    rate: 150,
    keys: 12,
    killEverySeconds: 5,
    batchDuration: '500ms',
    seed: 7,
    log: (l) => console.log(`chaos: ${l}`),
  });
  assertSurvived(report, 2000);
});

// The same with the device receiver: frames over a Unix socket from a device that keeps
// them until the receiver acknowledges them (after the write-ahead log's fsync) and
// resends the rest to a restarted driver.
test('chaos, device receiver with the write-ahead log: executor and driver kills lose nothing, counts stay exact', { timeout: 150_000 }, async () => {
  const report = await runChaos({
    source: 'device',
    seconds: 16,
    rate: 150,
    keys: 10,
    killEverySeconds: 4,
    batchDuration: '500ms',
    seed: 11,
    log: (l) => console.log(`chaos (device): ${l}`),
  });
  assertSurvived(report, 1200);
});

function assertSurvived(report: ChaosReport, minRecords: number): void {
  console.log(formatReport(report));
  assert.ok(report.kills.some((k) => k.kind === 'executor'), 'an executor was killed');
  assert.ok(report.kills.some((k) => k.kind === 'driver'), 'the driver was killed');
  const c = report.check;
  assert.ok(c.recordsIn > minRecords, `the source produced ${c.recordsIn} records`);
  assert.equal(c.lost, 0, `lost records: ${c.examples.join('; ')}`);
  assert.equal(c.unknownRecords, 0);
  assert.equal(c.duplicateOutputs, 0, 'an output record was written twice');
  assert.deepEqual(c.keysWithWrongCounts, [], `counts: ${c.examples.join('; ')}`);
  assert.equal(c.recordsOut, c.recordsIn + c.duplicateDeliveries);
}
