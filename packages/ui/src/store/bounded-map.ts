/**
 * A Map that keeps only its newest `capacity` entries (by insertion), like Spark's
 * retainedBatches: the UI's memory stays bounded however long a job runs.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(
    private readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    super();
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    while (this.size > this.capacity) {
      const oldest = this.keys().next().value as K;
      const v = super.get(oldest) as V;
      super.delete(oldest);
      this.onEvict(oldest, v);
    }
    return this;
  }
}
