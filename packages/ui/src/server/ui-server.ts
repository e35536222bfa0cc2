import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeApi } from '../api/rest-router.js';
import { batchView, statisticsView } from '../api/streaming-views.js';
import type { PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import type { UiStore } from '../store/ui-store.js';
import { loadStaticFiles, PAGE_PATHS, type StaticFile } from './static-files.js';

export interface UiServerOptions {
  /** Port to try first; when taken, the next ones are tried (like Spark's 4040, 4041, ...). 0: any. */
  port?: number;
  host?: string;
  /** Ports tried after `port` when it is taken (Spark's spark.port.maxRetries). */
  portRetries?: number;
  /**
   * Live pushes are sent at most this often (default 1000 ms). Each push redraws eight
   * charts and two tables in every open page: once a second keeps a page live for 1 s
   * batches while costing half of what twice a second did (see docs/benchmarks/ui.md).
   */
  pushIntervalMs?: number;
  metrics?: PrometheusMetrics | null;
  /** 'live' for a running driver, 'history' for a finished run. */
  mode?: 'live' | 'history';
}

/**
 * Serves the UI of one application over HTTP: the pages, the REST API, `/metrics`, and
 * live updates as server-sent events on `/api/v1/applications/{app}/streaming/events`.
 * Changes are pushed at most every pushIntervalMs, whatever the batch rate, as one
 * message with the statistics and the batches that changed.
 */
export class UiServer {
  private server: Server | null = null;
  private readonly clients = new Set<ServerResponse>();
  private readonly files: Map<string, StaticFile>;
  private pushTimer: NodeJS.Timeout | null = null;
  private keepAlive: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private boundPort = 0;
  private boundHost = '';

  constructor(
    private readonly store: UiStore,
    private readonly options: UiServerOptions = {},
  ) {
    this.files = loadStaticFiles();
    this.unsubscribe = store.onChange(() => this.schedulePush());
  }

  get url(): string {
    const host = this.boundHost.includes(':') ? `[${this.boundHost}]` : this.boundHost;
    return `http://${host}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    const first = this.options.port ?? 4040;
    const retries = first === 0 ? 0 : (this.options.portRetries ?? 16);
    let lastError: Error | null = null;
    for (let port = first; port <= first + retries; port++) {
      const server = createServer((req, res) => this.handle(req, res));
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => resolve());
        });
        this.server = server;
        const addr = server.address() as AddressInfo;
        this.boundPort = addr.port;
        this.boundHost = host;
        this.keepAlive = setInterval(() => this.broadcast(': keep-alive\n\n'), 15_000);
        this.keepAlive.unref();
        return this.url;
      } catch (err) {
        lastError = err as Error;
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
      }
    }
    throw new Error(`the UI could not listen on ${host}:${first}${retries ? `-${first + retries}` : ''}: ${lastError?.message}`);
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    if (this.pushTimer) clearTimeout(this.pushTimer);
    if (this.keepAlive) clearInterval(this.keepAlive);
    for (const c of this.clients) c.end();
    this.clients.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private schedulePush(): void {
    if (this.pushTimer) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      const changed = this.store.drainChangedBatches();
      if (this.clients.size === 0) return;
      const rows = [];
      for (const t of changed) {
        const b = this.store.batches.get(t);
        if (!b) continue;
        const streams: Record<string, number> = {};
        for (const i of Object.values(b.info.streamIdToInputInfo)) streams[i.streamId] = i.numRecords;
        rows.push({ ...batchView(b, this.store.app.batchDurationMs), streams });
      }
      const payload = { statistics: statisticsView(this.store), batches: rows, ended: this.store.endTime !== null };
      this.broadcast(`event: update\ndata: ${JSON.stringify(payload)}\n\n`);
    }, this.options.pushIntervalMs ?? 1000);
    this.pushTimer.unref();
  }

  private broadcast(text: string): void {
    for (const c of this.clients) c.write(text);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.route(req, res);
    } catch (err) {
      // A bug in a view must not take the driver down: answer 500 and keep serving.
      send(res, 500, { error: `internal error: ${(err as Error)?.message ?? err}` });
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: `method ${req.method} not allowed` });
      return;
    }
    let url: URL;
    let pathname: string;
    try {
      url = new URL(req.url ?? '/', 'http://ui');
      pathname = decodeURIComponent(url.pathname);
    } catch {
      send(res, 400, { error: 'malformed request path' });
      return;
    }
    if (pathname.includes('\0') || pathname.split('/').includes('..')) {
      send(res, 400, { error: 'malformed request path' });
      return;
    }
    if (pathname === '/') {
      res.writeHead(302, { location: '/streaming/' }).end();
      return;
    }
    if (pathname === '/metrics') {
      void this.serveMetrics(res);
      return;
    }
    const appId = this.store.app.appId;
    if (pathname === `/api/v1/applications/${appId}/streaming/events`) {
      this.openEvents(req, res);
      return;
    }
    if (pathname === '/api/v1' || pathname.startsWith('/api/v1/')) {
      const r = routeApi(this.store, pathname, url.searchParams);
      send(res, r.status, r.body);
      return;
    }
    const page = PAGE_PATHS.includes(pathname) ? '/static/index.html' : PAGE_PATHS.includes(pathname + '/') ? null : pathname;
    if (page === null) {
      res.writeHead(301, { location: pathname + '/' + url.search }).end();
      return;
    }
    const file = this.files.get(page);
    if (!file) {
      send(res, 404, { error: `${pathname} not found` });
      return;
    }
    let body = file.body;
    if (page === '/static/index.html') {
      body = Buffer.from(
        body.toString('utf8').replace('__SLUICE_BOOT__', JSON.stringify({ appId, appName: this.store.app.appName, mode: this.options.mode ?? 'live' }).replace(/</g, '\\u003c')),
      );
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': body.length, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private async serveMetrics(res: ServerResponse): Promise<void> {
    if (!this.options.metrics) {
      send(res, 404, { error: 'metrics are not collected here' });
      return;
    }
    try {
      const { contentType, text } = await this.options.metrics.render();
      res.writeHead(200, { 'content-type': contentType }).end(text);
    } catch (err) {
      send(res, 500, { error: `metrics: ${(err as Error)?.message ?? err}` });
    }
  }

  private openEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(`event: hello\ndata: ${JSON.stringify({ statistics: statisticsView(this.store), ended: this.store.endTime !== null })}\n\n`);
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
