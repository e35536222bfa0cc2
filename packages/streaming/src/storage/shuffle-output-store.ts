import { batchTimeOf } from './partition-cache.js';

/**
 * The map outputs of shuffles written where their map tasks ran (an executor, or the
 * driver in local mode): per shuffle and map partition, one serialized bucket per reduce
 * partition. Reduce tasks read them here (same process) or ask this process's block
 * server for them (peers). Dropped with their batch when the driver says no stream needs
 * it any more (removeBatchesUpTo), or when the shuffle's outputs are superseded.
 */
export class ShuffleOutputStore {
  private readonly outputs = new Map<string, Map<number, Uint8Array[]>>();
  private bytes = 0;

  put(shuffleId: string, mapPartition: number, buckets: Uint8Array[]): void {
    let maps = this.outputs.get(shuffleId);
    if (!maps) this.outputs.set(shuffleId, (maps = new Map<number, Uint8Array[]>()));
    const old = maps.get(mapPartition);
    if (old) for (const b of old) this.bytes -= b.byteLength;
    maps.set(mapPartition, buckets);
    for (const b of buckets) this.bytes += b.byteLength;
  }

  /** The bucket of reduce partition `reducePartition` written by map task `mapPartition`. */
  get(shuffleId: string, mapPartition: number, reducePartition: number): Uint8Array | undefined {
    return this.outputs.get(shuffleId)?.get(mapPartition)?.[reducePartition];
  }

  removeBatchesUpTo(time: number): void {
    for (const [id, maps] of this.outputs) {
      if (batchTimeOf(id) > time) continue;
      for (const buckets of maps.values()) for (const b of buckets) this.bytes -= b.byteLength;
      this.outputs.delete(id);
    }
  }

  get storedBytes(): number {
    return this.bytes;
  }

  get shuffleCount(): number {
    return this.outputs.size;
  }
}
