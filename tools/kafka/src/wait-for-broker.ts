// Readiness means a Kafka client got an answer, not that a port is open: the socket listens
// before the broker has caught up with the metadata log and can serve requests.
import { Kafka, logLevel } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  brokers: string;
  deadline: number;
  /** Checked between attempts so a broker that crashed fails fast instead of at the deadline. */
  stillRunning: () => boolean;
}

export async function waitForBroker(options: WaitOptions): Promise<void> {
  const kafka = new Kafka({
    clientId: 'sluice-kafka-readiness',
    brokers: [options.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    // Retrying is this loop's job; kafkajs' own back-off would overshoot the deadline.
    retry: { retries: 0 },
  });
  let lastError: unknown;
  while (Date.now() < options.deadline) {
    if (!options.stillRunning()) throw new Error('the broker process exited during start-up');
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) {
        await admin.listTopics();
        return;
      }
      lastError = new Error('the cluster has no broker or controller yet');
    } catch (err) {
      lastError = err;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`the broker did not answer at ${options.brokers} in time (last error: ${reason})`);
}
