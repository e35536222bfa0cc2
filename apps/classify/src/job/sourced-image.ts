import type { KafkaDirectStream } from '@sluice/kafka';
import type { DStream, RDD } from '@sluice/streaming';

/** What every source is turned into before classification. */
export interface SourcedImage {
  name: string;
  bytes: Buffer;
  /** When the source says the image was sent (Kafka record timestamp). */
  sentAt?: number;
}

export interface ImageSource {
  images: DStream<SourcedImage>;
  /** Runs on the driver once a batch's results are out (Kafka commits its offsets). */
  afterOutput?: (results: RDD<unknown>) => void;
  /** The number of images of a batch, known on the driver without reading them (Kafka offsets). */
  countOf?: (rdd: RDD<unknown>) => number;
  /** The Kafka stream behind `images`, for an output that commits its offsets itself. */
  kafkaStream?: KafkaDirectStream;
}
