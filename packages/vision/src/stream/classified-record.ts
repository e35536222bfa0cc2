import type { ClassificationFailure, ClassificationSuccess } from '../classifier.js';

/** When and in which batch an image was classified, carried with its result. */
export interface ClassificationTiming {
  /** The batch the image arrived in (the end of its batch interval, as in Spark). */
  batchTime: number;
  /** When the executor finished the inference batch this image was in (ms since the epoch). */
  classifiedAt: number;
  /**
   * When the image entered the system, if the source records it (a Kafka record's
   * timestamp, for example); end-to-end latency is measured from here when present.
   */
  sentAt?: number;
}

/** One element of a classified stream: the classifier's result for one image, with timing. */
export type ClassifiedImage = (ClassificationSuccess | ClassificationFailure) & ClassificationTiming;
