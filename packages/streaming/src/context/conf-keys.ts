import type { StreamingConfInput } from './conf.js';

type Kind = 'string' | 'number' | 'boolean' | 'duration' | 'size' | 'directory';

/**
 * Every key a StreamingConfInput accepts and the kind of value it takes. `satisfies`
 * keeps the table and the type in step: a key added to one and not the other fails the
 * type-check. docs/configuration.md describes each key.
 */
export const CONF_KEY_KINDS = {
  appName: 'string',
  master: 'string',
  batchDuration: 'duration',
  blockInterval: 'duration',
  executors: 'number',
  executorCores: 'number',
  executorNodeOptions: 'string',
  defaultParallelism: 'number',
  receiverMaxRate: 'number',
  backpressureEnabled: 'boolean',
  backpressureInitialRate: 'number',
  backpressurePidProportional: 'number',
  backpressurePidIntegral: 'number',
  backpressurePidDerived: 'number',
  backpressurePidMinRate: 'number',
  receiverRestartDelay: 'duration',
  receiverMaxBuffered: 'size',
  maxFrameBytes: 'number',
  taskPrefetch: 'number',
  taskMaxFailures: 'number',
  driverHost: 'string',
  driverPort: 'number',
  executorTimeout: 'duration',
  stuckTaskTimeout: 'duration',
  killStuckTasks: 'boolean',
  waitForExecutors: 'boolean',
  maxExecutorRestarts: 'number',
  retainedBatches: 'number',
  maxQueuedBatches: 'number',
  receiverPlacement: 'string',
  blockReplication: 'number',
  localityWait: 'duration',
  checkpointDir: 'directory',
  receiverWriteAheadLog: 'boolean',
  writeAheadLogRollingInterval: 'duration',
  blockManagerMemory: 'size',
} as const satisfies Record<keyof StreamingConfInput, Kind>;

const KEYS = Object.keys(CONF_KEY_KINDS);

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key closest to `key`, for "did you mean" messages. */
export function nearestConfKey(key: string): string {
  let best = KEYS[0] ?? '';
  let bestDistance = Infinity;
  for (const known of KEYS) {
    // Spark-style dotted keys (spark.streaming.blockInterval) name the same settings.
    const distance = Math.min(editDistance(key, known), editDistance(key.split('.').pop() ?? key, known));
    if (distance < bestDistance) [best, bestDistance] = [known, distance];
  }
  return best;
}

function acceptsValue(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'duration':
    case 'size':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    case 'directory':
      return typeof value === 'string' || value === null;
  }
}

const KIND_TEXT: Record<Kind, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  duration: "a duration such as '500ms' or '2s' (a number is milliseconds)",
  size: "a size such as '256m' (a number is bytes)",
  directory: 'a directory path',
};

/**
 * Refuses configuration a StreamingContext would otherwise ignore or misread: an unknown
 * key is named with the nearest known one; a value of the wrong kind is named with what
 * the key takes. Values themselves (ranges, units) are checked when the conf is resolved.
 */
export function checkConfInput(input: object, source = 'configuration'): void {
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const kind = (CONF_KEY_KINDS as Record<string, Kind>)[key];
    if (kind === undefined) {
      throw new Error(`${source}: unknown key "${key}"; the nearest known key is "${nearestConfKey(key)}" (every key: docs/configuration.md)`);
    }
    if (!acceptsValue(kind, value)) {
      throw new Error(`${source}: ${key} takes ${KIND_TEXT[kind]}, got ${JSON.stringify(value)}`);
    }
  }
}
