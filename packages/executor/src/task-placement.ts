import type { TaskSpec } from '@sluice/streaming/internal';

/** What the scheduler needs to know of an executor to place a task. */
export interface ExecutorSlots {
  id: string;
  ready: boolean;
  /** Tasks it can take now (free cores plus prefetch places). */
  free: number;
}

export type Placement =
  | { kind: 'run'; executorId: string }
  /** Not now: the executor holding its block is busy (retry when a slot frees or after retryInMs). */
  | { kind: 'wait'; retryInMs: number | null }
  /** It can never run: the only copy of a block it reads was lost with its executor. */
  | { kind: 'lost'; message: string };

/**
 * Where a task runs. A task that reads a block kept only on an executor (a receiver there
 * stored it; no replica) must run on that executor. A task whose block the driver also
 * has, or that reads cached partitions of a persisted RDD (spec.preferredExecutors: the
 * executors keeping them), prefers those executors, for up to `localityWaitMs` of
 * waiting, then runs anywhere (with the driver's copy of the block; a cached partition is
 * computed again there from its lineage). Any other task goes to the executor with the
 * most free slots.
 */
export function placeTask(
  spec: TaskSpec,
  queuedAt: number,
  executors: ExecutorSlots[],
  now: number,
  localityWaitMs: number,
): Placement {
  const pinned = new Set<string>();
  // Executors keeping cached partitions the task reads are preferred like block holders.
  const preferred = new Set<string>(spec.preferredExecutors);
  for (const input of spec.inputPartitions) {
    for (const block of input.blocks) {
      if (block.heldBy === undefined) continue;
      if (block.segments === null) pinned.add(block.heldBy);
      else preferred.add(block.heldBy);
    }
  }
  const byId = new Map(executors.map((e) => [e.id, e]));
  if (pinned.size > 1) {
    return { kind: 'lost', message: `the task reads blocks kept only on different executors (${[...pinned].join(', ')}) and cannot run on one` };
  }
  if (pinned.size === 1) {
    const holder = [...pinned][0]!;
    const e = byId.get(holder);
    if (!e) {
      const blocks = spec.inputPartitions.flatMap((ip) => ip.blocks.filter((b) => b.heldBy === holder && b.segments === null));
      return {
        kind: 'lost',
        message:
          `block ${blocks.map((b) => b.blockId).join(', ')} (${blocks.reduce((n, b) => n + b.count, 0)} records) was lost with ` +
          `executor ${holder}, the only one keeping it (blockReplication=1); set blockReplication to 2 to keep a copy on the driver`,
      };
    }
    return e.ready && e.free > 0 ? { kind: 'run', executorId: e.id } : { kind: 'wait', retryInMs: null };
  }
  for (const holder of preferred) {
    const e = byId.get(holder);
    if (e?.ready && e.free > 0) return { kind: 'run', executorId: e.id };
  }
  const holderAlive = [...preferred].some((id) => byId.get(id)?.ready);
  const waited = now - queuedAt;
  if (holderAlive && waited < localityWaitMs) return { kind: 'wait', retryInMs: localityWaitMs - waited };
  let best: ExecutorSlots | null = null;
  for (const e of executors) if (e.ready && e.free > 0 && (!best || e.free > best.free)) best = e;
  return best ? { kind: 'run', executorId: best.id } : { kind: 'wait', retryInMs: null };
}
