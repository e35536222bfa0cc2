/**
 * How an RDD's computed partitions are kept (Spark's StorageLevel, the levels Sluice
 * has). NONE: computed again by every task that reads them. MEMORY_ONLY: kept, as the
 * records themselves, in the block manager of the executor that computed them (bounded
 * memory: an evicted partition is computed again from its lineage when next read).
 */
export const StorageLevel = {
  NONE: 'NONE',
  MEMORY_ONLY: 'MEMORY_ONLY',
} as const;

export type StorageLevel = (typeof StorageLevel)[keyof typeof StorageLevel];
