import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatKafkaReport, runKafkaChaos } from '../chaos/kafka-chaos.js';

// The Kafka chaos run, CI-sized: the direct stream, a running count per key, the
// exactly-once output; the broker is stopped for a few seconds and started again, an
// executor and the driver are killed (kill -9, the driver restarted from its checkpoint).
// It starts a broker of its own.
test('kafka chaos: broker restart, executor and driver kills; exactly-once output has every record once, counts exact', { timeout: 420_000 }, async () => {
  const r = await runKafkaChaos({
    seconds: 30,
    rate: 150,
    keys: 10,
    killEverySeconds: 5,
    batchDuration: '1s',
    maxRatePerPartition: 400,
    brokerKills: true,
    brokerDownSeconds: 5,
    log: (l) => console.log(`chaos: ${l}`),
  });
  console.log(formatKafkaReport(r));
  assert.ok(r.kills.some((k) => k.kind === 'broker'), 'the broker was restarted');
  assert.ok(r.kills.some((k) => k.kind === 'executor'), 'an executor was killed');
  assert.ok(r.kills.some((k) => k.kind === 'driver'), 'the driver was killed');
  const c = r.check;
  assert.ok(c.recordsIn > 2000, `produced ${c.recordsIn}`);
  assert.equal(c.lost, 0, c.examples.join('; '));
  // The job counts what is in the input topic, each record once: deliveries beyond the
  // first are only the records the producer itself wrote twice (resent across a broker restart).
  assert.equal(c.duplicateDeliveries, r.inputDuplicates, 'a record was counted twice');
  assert.equal(c.duplicateOutputs, 0, 'an output record was written twice');
  assert.deepEqual(c.keysWithWrongCounts, [], c.examples.join('; '));
  assert.equal(c.recordsOut, c.recordsIn + r.inputDuplicates);
});
