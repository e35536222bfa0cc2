// Kafka creates its internal topics (__consumer_offsets, __transaction_state) lazily, on the
// first consumer group and the first transaction. Until they are loaded, clients get
// "coordinator not available / loading" errors: kafkajs retries them, but it logs each one
// at ERROR level and backs off. Touching both coordinators once during start-up means the
// broker handed to tests is ready for groups and exactly-once output from the first request.
import { Kafka, Partitioners, logLevel } from 'kafkajs';

export async function warmUpCoordinators(brokers: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'sluice-kafka-warm-up',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
  });

  const admin = kafka.admin();
  await admin.connect();
  try {
    // Finding a group's coordinator makes the broker create and load __consumer_offsets.
    await admin.describeGroups(['sluice-kafka-warm-up']);
  } finally {
    await admin.disconnect();
  }

  const producer = kafka.producer({
    transactionalId: 'sluice-kafka-warm-up',
    idempotent: true,
    maxInFlightRequests: 1,
    // Naming a partitioner keeps kafkajs' once-per-process partitioner warning for the
    // caller's own producers instead of spending it, silenced, here.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    // Starting a transaction initialises a producer id at the transaction coordinator,
    // which creates and loads __transaction_state.
    const transaction = await producer.transaction();
    await transaction.abort();
  } finally {
    await producer.disconnect();
  }
}
