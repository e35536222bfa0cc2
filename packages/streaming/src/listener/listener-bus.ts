import { config as rxConfig, Observable, Subject, Subscriber, type Observer, type Subscription } from 'rxjs';
import type { StreamingEvent, StreamingListener } from './streaming-listener.js';

type Report = (line: string) => void;

const toStderr: Report = (line) => process.stderr.write(`${line}\n`);

function describe(err: unknown): string {
  return (err as Error)?.stack ?? String(err);
}

/**
 * `events$` itself: a subscriber whose `next` throws is reported and unsubscribed, where
 * RxJS would rethrow the error from a timer and so crash the driver. Operators subscribe
 * with Subscribers of their own, which pass through: an error thrown further down a pipe
 * reaches RxJS' unhandled-error hook, which the bus points at its report (see below).
 */
class GuardedEvents extends Observable<StreamingEvent> {
  constructor(
    private readonly subject: Subject<StreamingEvent>,
    private readonly reportFailure: Report,
  ) {
    super();
  }

  override subscribe(observerOrNext?: Partial<Observer<StreamingEvent>> | ((value: StreamingEvent) => void) | null): Subscription {
    if (observerOrNext instanceof Subscriber) return this.subject.subscribe(observerOrNext);
    const observer: Partial<Observer<StreamingEvent>> =
      typeof observerOrNext === 'function' ? { next: observerOrNext } : (observerOrNext ?? {});
    const next = observer.next?.bind(observer);
    let failed = false;
    const subscription = this.subject.subscribe({
      next: (event) => {
        if (failed || !next) return;
        try {
          next(event);
        } catch (err) {
          failed = true;
          this.reportFailure(`sluice: an events$ subscriber failed on ${event.type} and was unsubscribed: ${describe(err)}`);
          subscription.unsubscribe();
        }
      },
      error: (err: unknown) => observer.error?.(err),
      complete: () => observer.complete?.(),
    });
    return subscription;
  }
}

/**
 * Delivers engine events to listeners through an RxJS Subject: `events$` for those who
 * prefer observables, addListener for Spark-style listener objects. A listener or
 * subscriber that throws is reported and removed; it never disturbs the stream, the
 * driver or the other listeners.
 */
export class ListenerBus {
  private readonly subject = new Subject<StreamingEvent>();
  readonly events$: Observable<StreamingEvent>;

  constructor(private readonly report: Report = toStderr) {
    this.events$ = new GuardedEvents(this.subject, report);
    // An error thrown by a subscriber down an operator pipe is beyond the guard above;
    // RxJS' default throws it from a timer, which would end the driver. Unless the
    // application set its own hook, it is reported instead.
    if (rxConfig.onUnhandledError === null) {
      rxConfig.onUnhandledError = (err: unknown) => toStderr(`sluice: an RxJS subscriber failed: ${describe(err)}`);
    }
  }

  post(event: StreamingEvent): void {
    this.subject.next(event);
  }

  addListener(listener: StreamingListener): () => void {
    const sub = this.subject.subscribe((event) => {
      const handlers = listener as Record<string, ((this: StreamingListener, payload: unknown) => void) | undefined>;
      const handler = handlers[event.type];
      if (!handler) return;
      try {
        handler.call(listener, event.payload);
      } catch (err) {
        sub.unsubscribe();
        this.report(`sluice: a streaming listener failed on ${event.type} and was removed: ${describe(err)}`);
      }
    });
    return () => sub.unsubscribe();
  }

  close(): void {
    this.subject.complete();
  }
}
