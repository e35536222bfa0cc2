import { Kafka, Partitioners, type KafkaConfig, type Producer } from 'kafkajs';
import { explainKafkaError } from './kafka-errors.js';

/**
 * A kafkajs producer opened by the first task of an output on an executor and kept for
 * the life of the process. If it fails it is dropped, so the next task opens a new one.
 */
export class ExecutorProducer {
  private producer: Promise<Producer> | null = null;

  constructor(
    private readonly config: KafkaConfig,
    private readonly brokers: string,
    /** Only with acks from all in-sync replicas: Kafka refuses idempotence otherwise. */
    private readonly idempotent = true,
  ) {}

  get(): Promise<Producer> {
    if (!this.producer) {
      const producer = new Kafka(this.config).producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: true,
        // kafkajs retries a whole produce request when any partition in it fails (a leader
        // moving, a partition just created): idempotence lets the broker drop the
        // re-sent batches instead of writing them twice. Retries stay bounded so a task
        // fails rather than hangs while Kafka is away.
        idempotent: this.idempotent,
        maxInFlightRequests: 5,
        retry: { retries: 5 },
      });
      this.producer = producer.connect().then(
        () => producer,
        (err: unknown) => {
          this.producer = null;
          throw new Error(`executor producer: ${explainKafkaError(err, this.brokers)}`, { cause: err });
        },
      );
    }
    return this.producer;
  }

  /** Forgets a producer that failed a send (kafkajs may have lost its connection). */
  reset(): void {
    const old = this.producer;
    this.producer = null;
    void old?.then((p) => p.disconnect()).catch(() => undefined);
  }
}
