import { existsSync, statSync } from 'node:fs';
import { listEventLogs, readEventLog } from './event-log/event-log.js';
import { PrometheusMetrics } from './metrics/prometheus-metrics.js';
import { UiServer } from './server/ui-server.js';
import { UiStore } from './store/ui-store.js';

export interface HistoryOptions {
  dir: string;
  /** Which application's log (default: the newest in dir). */
  appId?: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

/**
 * `sluice history DIR`: replays an event log into a UI store and serves the same UI as a
 * running driver, for a finished run (or one still running: its log as written so far).
 */
export async function startHistoryServer(options: HistoryOptions): Promise<{ server: UiServer; store: UiStore; url: string; appId: string }> {
  const log = options.log ?? ((line) => process.stderr.write(`sluice: ${line}\n`));
  if (!existsSync(options.dir) || !statSync(options.dir).isDirectory()) throw new Error(`event log directory not found: ${options.dir}`);
  const logs = listEventLogs(options.dir);
  if (logs.length === 0) throw new Error(`no event logs (*.jsonl) in ${options.dir}`);
  const chosen = options.appId ? logs.find((l) => l.appId === options.appId) : logs[0];
  if (!chosen) throw new Error(`no event log of ${options.appId} in ${options.dir} (there are: ${logs.map((l) => l.appId).join(', ')})`);
  if (logs.length > 1) log(`${logs.length} event logs in ${options.dir}; showing ${chosen.appId} (others: ${logs.filter((l) => l !== chosen).map((l) => l.appId).join(', ')})`);
  const store = new UiStore();
  const metrics = new PrometheusMetrics({ processMetrics: false });
  let bad = 0;
  await readEventLog(
    chosen.path,
    (e) => {
      store.apply(e);
      metrics.apply(e);
    },
    (lineNo, why) => {
      if (bad++ < 5) log(`${chosen.path}:${lineNo}: skipped a line that is not an event (${why})`);
    },
  );
  const server = new UiServer(store, { port: options.port ?? 18080, host: options.host, metrics, mode: 'history' });
  const url = await server.start();
  return { server, store, url, appId: chosen.appId };
}
