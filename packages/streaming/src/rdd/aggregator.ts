/** combineByKey's three functions; reduceByKey and groupByKey are special cases. */
export interface Aggregator<V, C> {
  createCombiner(value: V): C;
  mergeValue(combiner: C, value: V): C;
  mergeCombiners(a: C, b: C): C;
}

export function reduceAggregator<V>(f: (a: V, b: V) => V): Aggregator<V, V> {
  return { createCombiner: (v) => v, mergeValue: f, mergeCombiners: f };
}

export function groupAggregator<V>(): Aggregator<V, V[]> {
  return {
    createCombiner: (v) => [v],
    mergeValue: (c, v) => {
      c.push(v);
      return c;
    },
    mergeCombiners: (a, b) => a.concat(b),
  };
}
