import { Kafka, Partitioners, type KafkaConfig, type Producer } from 'kafkajs';
import { explainKafkaError } from './kafka-errors';

/**
 * A kafkajs producer opened by the first task of an output on an executor and kept for
 * the life of the process. If it fails it is dropped, so the next task opens a new one.
 */
export class ExecutorProducer {
  private producer: Promise<Producer> | null = null;

  constructor(
    private readonly config: KafkaConfig,
    private readonly brokers: string,
  ) {}

  get(): Promise<Producer> {
    if (!this.producer) {
      const producer = new Kafka(this.config).producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: true,
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
