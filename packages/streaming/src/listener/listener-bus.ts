import { Subject, type Observable } from 'rxjs';
import type { StreamingEvent, StreamingListener } from './streaming-listener';

/**
 * Delivers engine events to listeners through an RxJS Subject: `events$` for those who
 * prefer observables, addListener for Spark-style listener objects. A listener that
 * throws is reported once and does not disturb the stream or the other listeners.
 */
export class ListenerBus {
  private readonly subject = new Subject<StreamingEvent>();
  readonly events$: Observable<StreamingEvent> = this.subject.asObservable();

  post(event: StreamingEvent): void {
    this.subject.next(event);
  }

  addListener(listener: StreamingListener): () => void {
    const sub = this.subject.subscribe((event) => {
      const handler = listener[event.type] as ((payload: unknown) => void) | undefined;
      if (!handler) return;
      try {
        handler.call(listener, event.payload);
      } catch (err) {
        process.stderr.write(`sluice: a streaming listener failed on ${event.type}: ${(err as Error)?.stack ?? err}\n`);
      }
    });
    return () => sub.unsubscribe();
  }

  close(): void {
    this.subject.complete();
  }
}
