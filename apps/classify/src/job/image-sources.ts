import { Converters, deviceStream, type StreamingContext } from '@sluice/streaming';
import type { ImageSource } from './sourced-image.js';
import type { SourceSpec } from './source-spec.js';

/**
 * The input stream for --source. Kafka's client library is imported only when a Kafka
 * source is used: it adds a quarter of a second to every process's start.
 */
export async function openImageSource(ssc: StreamingContext, source: SourceSpec): Promise<ImageSource> {
  switch (source.kind) {
    case 'socket':
      // Image frames: 28-byte name, 4-byte big-endian length, the image bytes. The sender
      // closing the connection ends the stream: reconnecting would get the same images
      // again from a sender that serves its directory to each connection.
      return { images: ssc.socketStream(source.host, source.port, Converters.imageFrames, { endsWithConnection: true }) };
    case 'kafka': {
      const { openKafkaImageSource } = await import('./kafka-source.js');
      return openKafkaImageSource(ssc, source);
    }
    case 'device': {
      const frames = deviceStream(ssc, source.path, { withSequence: true });
      return { images: frames.map((frame) => ({ name: `frame-${frame.seq}`, bytes: frame.payload })) };
    }
  }
}
