import type { UiStore } from '../store/ui-store.js';
import {
  batchDetailView,
  batchView,
  environmentView,
  executorsView,
  kafkaView,
  operationsView,
  receiversView,
  statisticsView,
  timelineView,
} from './streaming-views.js';

export interface ApiResponse {
  status: number;
  body: unknown;
}

const notFound = (what: string): ApiResponse => ({ status: 404, body: { error: `${what} not found` } });
const badRequest = (what: string): ApiResponse => ({ status: 400, body: { error: what } });

/**
 * Answers /api/v1/... as Spark's REST API does, for the one application this driver
 * runs: /applications, and under /applications/{app}/streaming the statistics, batches,
 * batches/{batchId}, batches/{batchId}/operations, receivers, receivers/{streamId};
 * also /applications/{app}/executors, and Sluice's own streaming/timeline, kafka,
 * environment and app-metrics.
 */
export function routeApi(store: UiStore, pathname: string, query: URLSearchParams): ApiResponse {
  const parts = pathname.split('/').filter((p) => p !== '');
  // parts[0..1] are 'api', 'v1'
  const rest = parts.slice(2);
  if (rest[0] !== 'applications') return notFound(`API path ${pathname}`);
  if (rest.length === 1) {
    return {
      status: 200,
      body: [
        {
          id: store.app.appId,
          name: store.app.appName,
          attempts: [{ startTime: new Date(store.app.startTime).toISOString(), endTime: store.endTime ? new Date(store.endTime).toISOString() : null, completed: store.endTime !== null }],
        },
      ],
    };
  }
  if (rest[1] !== store.app.appId) return notFound(`application ${rest[1]}`);
  const section = rest.slice(2);
  if (section.length === 0) return { status: 200, body: { id: store.app.appId, name: store.app.appName } };
  if (section[0] === 'executors' && section.length === 1) return { status: 200, body: executorsView(store) };
  if (section[0] === 'environment' && section.length === 1) return { status: 200, body: environmentView(store) };
  if (section[0] === 'app-metrics' && section.length === 1) return { status: 200, body: Object.fromEntries(store.appMetrics) };
  if (section[0] !== 'streaming') return notFound(`API path ${pathname}`);
  const [, what, id, sub, ...extra] = section;
  if (extra.length > 0) return notFound(`API path ${pathname}`);
  switch (what) {
    case 'statistics':
      return id === undefined ? { status: 200, body: statisticsView(store) } : notFound(`API path ${pathname}`);
    case 'timeline':
      return id === undefined ? { status: 200, body: timelineView(store) } : notFound(`API path ${pathname}`);
    case 'kafka':
      return id === undefined ? { status: 200, body: kafkaView(store) } : notFound(`API path ${pathname}`);
    case 'receivers': {
      const all = receiversView(store);
      if (id === undefined) return { status: 200, body: all };
      if (sub !== undefined) return notFound(`API path ${pathname}`);
      if (!/^\d+$/.test(id)) return badRequest(`stream id must be a number, got "${id}"`);
      const r = all.find((x) => x.streamId === Number(id));
      return r ? { status: 200, body: r } : notFound(`receiver of stream ${id}`);
    }
    case 'batches':
      return batchesRoute(store, id, sub, query);
    default:
      return notFound(`API path ${pathname}`);
  }
}

function batchesRoute(store: UiStore, id: string | undefined, sub: string | undefined, query: URLSearchParams): ApiResponse {
  const duration = store.app.batchDurationMs;
  if (id === undefined) {
    const status = query.get('status');
    if (status !== null && !['QUEUED', 'PROCESSING', 'COMPLETED'].includes(status)) {
      return badRequest(`status must be QUEUED, PROCESSING or COMPLETED, got "${status}"`);
    }
    const offset = intParam(query, 'offset', 0);
    const length = intParam(query, 'length', Number.MAX_SAFE_INTEGER);
    if (offset === null || length === null) return badRequest('offset and length must be integers >= 0');
    // Newest first, as Spark lists them.
    const rows = [];
    let skipped = 0;
    const all = [...store.batches.values()];
    for (let i = all.length - 1; i >= 0 && rows.length < length; i--) {
      const b = all[i]!;
      if (status !== null && b.status !== status) continue;
      if (skipped++ < offset) continue;
      rows.push(batchView(b, duration));
    }
    return { status: 200, body: rows };
  }
  if (!/^\d+$/.test(id)) return badRequest(`batch id must be a batch time in milliseconds, got "${id}"`);
  const b = store.batches.get(Number(id));
  if (!b) return notFound(`batch ${id}`);
  if (sub === undefined) return { status: 200, body: batchDetailView(b, duration) };
  if (sub === 'operations') return { status: 200, body: operationsView(b) };
  return notFound(`batches/${id}/${sub}`);
}

function intParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}
