import type { ClassifiedImage, ImageErrorKind, LabelScore } from '@sluice/vision/stream';

/** One line of output: what happened to one image. */
export interface ResultRecord {
  /** The image's name from the source (file name, Kafka key), or null if it had none. */
  name: string | null;
  ok: boolean;
  /** Best first (classified images). */
  top?: LabelScore[];
  /** Why it could not be classified (failed images). */
  kind?: ImageErrorKind;
  error?: string;
  batchTime: number;
  classifiedAt: number;
  /** When the source says the image was sent (Kafka record timestamp), if it says. */
  sentAt?: number;
  /**
   * End-to-end latency: from when the image was sent if the source records it, otherwise
   * from the end of the batch interval it arrived in (Spark's "total delay"), to when the
   * result was written (or, for Kafka output, handed to the producer).
   */
  latencyMs: number;
}

export function toResultRecord(image: ClassifiedImage, outputAt: number): ResultRecord {
  const record: ResultRecord = { name: image.name ?? null, ok: image.ok, batchTime: image.batchTime, classifiedAt: image.classifiedAt, latencyMs: 0 };
  if (image.ok) record.top = image.top;
  else {
    record.kind = image.kind;
    record.error = image.error;
  }
  if (image.sentAt !== undefined) record.sentAt = image.sentAt;
  record.latencyMs = Math.max(0, outputAt - (image.sentAt ?? image.batchTime));
  return record;
}
