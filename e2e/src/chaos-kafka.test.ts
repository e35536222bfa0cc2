import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatKafkaReport, runKafkaChaos } from '../chaos/kafka-chaos';

// The Kafka chaos run, CI-sized: the direct stream, a running count per key, the
// exactly-once output; an executor and the driver are killed (kill -9, the driver
// restarted from its checkpoint). It starts a broker of its own (it may restart it).
test('kafka chaos: executor and driver kills; exactly-once output has every record once, counts exact', { timeout: 240_000 }, async () => {
  const r = await runKafkaChaos({
    seconds: 20,
    rate: 150,
    keys: 10,
    killEverySeconds: 5,
    batchDuration: '1s',
    maxRatePerPartition: 400,
    brokerKills: false,
    log: (l) => console.log(`chaos: ${l}`),
  });
  console.log(formatKafkaReport(r));
  assert.ok(r.kills.some((k) => k.kind === 'executor'), 'an executor was killed');
  assert.ok(r.kills.some((k) => k.kind === 'driver'), 'the driver was killed');
  const c = r.check;
  assert.ok(c.recordsIn > 2000, `produced ${c.recordsIn}`);
  assert.equal(c.lost, 0, c.examples.join('; '));
  assert.equal(c.duplicateDeliveries, 0, 'a record was counted twice');
  assert.equal(c.duplicateOutputs, 0, 'an output record was written twice');
  assert.deepEqual(c.keysWithWrongCounts, [], c.examples.join('; '));
  assert.equal(c.recordsOut, c.recordsIn);
});
