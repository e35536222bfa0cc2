import { batchTimeOf } from '../storage/partition-cache.js';

/** Where one map task's output of a shuffle is kept: the executor that wrote it. */
export interface MapStatus {
  executorId: string;
  /** host:port of that executor's block server ('' when tasks run in the driver). */
  address: string;
  /** Bytes of each reduce partition's bucket. */
  sizes: number[];
}

/** What a reduce task needs to fetch one map task's bucket. */
export interface MapOutputLocation {
  mapPartition: number;
  executorId: string;
  address: string;
}

/**
 * The driver's record of where shuffle map outputs are (Spark's MapOutputTracker). Map
 * outputs stay on the executors that wrote them; the driver only keeps their locations
 * and hands them to reduce tasks, which fetch the bytes from those executors.
 *
 * A shuffle whose map outputs are all registered is not run again by a later job of the
 * same or a later batch (Spark's skipped stage); an executor's loss, or a reduce task that
 * could not fetch from it, unregisters its outputs and the scheduler reruns only those map
 * tasks. Shuffles of batches no stream remembers any more are dropped with the batch.
 */
export class MapOutputTracker {
  private readonly shuffles = new Map<string, (MapStatus | undefined)[]>();

  register(shuffleId: string, numMaps: number, mapPartition: number, status: MapStatus): void {
    let statuses = this.shuffles.get(shuffleId);
    if (!statuses) {
      statuses = new Array<MapStatus | undefined>(numMaps);
      this.shuffles.set(shuffleId, statuses);
    }
    statuses[mapPartition] = status;
  }

  /** Map partitions of the shuffle with no output registered. */
  missing(shuffleId: string, numMaps: number): number[] {
    const statuses = this.shuffles.get(shuffleId);
    const out: number[] = [];
    for (let p = 0; p < numMaps; p++) if (!statuses?.[p]) out.push(p);
    return out;
  }

  /** Every map output of the shuffle; throws if one is missing (the scheduler ran them first). */
  locations(shuffleId: string, numMaps: number): MapOutputLocation[] {
    const statuses = this.shuffles.get(shuffleId);
    const out: MapOutputLocation[] = [];
    for (let p = 0; p < numMaps; p++) {
      const s = statuses?.[p];
      if (!s) throw new Error(`map output ${p} of shuffle ${shuffleId} is not available`);
      out.push({ mapPartition: p, executorId: s.executorId, address: s.address });
    }
    return out;
  }

  /** Unregisters every output kept by the executor (it died, or a fetch from it failed). */
  executorLost(executorId: string): number {
    let lost = 0;
    for (const statuses of this.shuffles.values()) {
      for (let p = 0; p < statuses.length; p++) {
        if (statuses[p]?.executorId === executorId) {
          statuses[p] = undefined;
          lost++;
        }
      }
    }
    return lost;
  }

  /** Drops the shuffles of batches up to `time`; returns their ids. */
  removeBatchesUpTo(time: number): string[] {
    const removed: string[] = [];
    for (const id of this.shuffles.keys()) {
      if (batchTimeOf(id) <= time) {
        this.shuffles.delete(id);
        removed.push(id);
      }
    }
    return removed;
  }

  get size(): number {
    return this.shuffles.size;
  }
}
