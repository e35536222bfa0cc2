import type { StreamingContext } from '@sluice/streaming';
import { EventLogWriter } from './event-log/event-log.js';
import { PrometheusMetrics } from './metrics/prometheus-metrics.js';
import { UiServer } from './server/ui-server.js';
import { UiStore } from './store/ui-store.js';
import type { ApplicationMetric, StatusSnapshot, UiEvent } from './ui-events.js';

export interface LiveUiOptions {
  /** Serve the UI (default true); with false only the event log is written, if asked. */
  ui?: boolean;
  port?: number;
  host?: string;
  /** Write the events as JSON lines to this directory (`--event-log DIR`). */
  eventLogDir?: string | null;
  retainedBatches?: number;
  /** How often the engine's counters (receiver records and errors, blocks held) are sampled. */
  snapshotIntervalMs?: number;
  /** The command line, shown on the Environment page. */
  argv?: string[];
}

/**
 * The driver's UI, attached to a StreamingContext before start(): it listens to the
 * context's listener bus, samples the counters the engine keeps, and feeds the UI store,
 * the Prometheus metrics and the event log from the same events. It stops with the
 * context.
 */
export class LiveUi {
  readonly store: UiStore;
  readonly metrics: PrometheusMetrics;
  readonly server: UiServer | null;
  private log: EventLogWriter | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private readonly done: Promise<void>;

  constructor(
    private readonly ssc: StreamingContext,
    private readonly options: LiveUiOptions = {},
  ) {
    this.store = new UiStore({ retainedBatches: options.retainedBatches });
    this.metrics = new PrometheusMetrics();
    this.server = options.ui === false ? null : new UiServer(this.store, { port: options.port, host: options.host, metrics: this.metrics });
    const startTime = Date.now();
    const appId = `app-${new Date(startTime).toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${process.pid}`;
    if (options.eventLogDir) this.log = new EventLogWriter(options.eventLogDir, appId);
    this.post({
      type: 'onApplicationStart',
      payload: {
        appId,
        appName: ssc.conf.appName,
        startTime,
        batchDurationMs: ssc.conf.batchDurationMs,
        conf: { ...ssc.conf },
        runtime: {
          'Node.js': process.version,
          platform: `${process.platform} ${process.arch}`,
          'command line': (options.argv ?? process.argv).join(' '),
          'working directory': process.cwd(),
          pid: String(process.pid),
        },
      },
    });
    this.done = new Promise<void>((resolve) => {
      ssc.events$.subscribe({ next: (e) => this.post(e), complete: () => resolve() });
    });
  }

  get appId(): string {
    return this.store.app.appId;
  }

  get eventLogPath(): string | null {
    return this.log?.path ?? null;
  }

  /** Starts serving (if asked) and sampling; resolves with the UI's URL (or null). */
  async start(): Promise<string | null> {
    const every = this.options.snapshotIntervalMs ?? 1000;
    this.snapshotTimer = setInterval(() => this.snapshot(), every);
    this.snapshotTimer.unref();
    return this.server ? this.server.start() : null;
  }

  /** A figure of the application's own (sluice-classify's images/s, latency, labels). */
  reportMetric(source: string, values: Record<string, unknown>): void {
    const metric: ApplicationMetric = { time: Date.now(), source, values };
    this.post({ type: 'onApplicationMetric', payload: metric });
  }

  /** Waits for the context's events to end, records the end, closes the log and the server. */
  async stop(): Promise<void> {
    await this.finish();
    await this.server?.stop();
  }

  /** The context has stopped: records the end and closes the event log, the UI keeps serving. */
  async finish(): Promise<void> {
    await this.done;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    this.snapshotTimer = null;
    if (this.store.endTime === null) {
      this.snapshot();
      this.post({ type: 'onApplicationEnd', payload: { time: Date.now() } });
    }
    await this.log?.close();
    this.log = null;
  }

  private snapshot(): void {
    const blocks: StatusSnapshot['blocksHeld'] = {};
    for (const [holder, h] of this.ssc.blocksHeld()) blocks[holder] = h;
    this.post({
      type: 'onStatusSnapshot',
      payload: {
        time: Date.now(),
        receivers: this.ssc.receivers.map((r) => ({
          streamId: r.streamId,
          name: r.name,
          recordsStored: r.recordsStored,
          errorCounts: Object.fromEntries(r.errorCounts),
        })),
        blocksHeld: blocks,
        driverMemoryBytes: process.memoryUsage.rss(),
      },
    });
  }

  private post(event: UiEvent): void {
    this.store.apply(event);
    this.metrics.apply(event);
    this.log?.write(event);
  }
}
