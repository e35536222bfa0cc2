import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../index.js';
import { StreamingContext } from '../context/streaming-context.js';
import { diffGraphSignatures } from './graph-signature.js';

function graphOf(build: (ssc: StreamingContext) => void): string {
  const ssc = new StreamingContext({ batchDuration: '1s' }, { mode: 'executor', log: () => {} });
  build(ssc);
  return ssc.graph.signature();
}

test('equal graphs have equal fingerprints, whatever the input address', () => {
  const a = graphOf((ssc) => ssc.socketTextStream('127.0.0.1', 9999).map((l) => l.length).print());
  const b = graphOf((ssc) => ssc.socketTextStream('127.0.0.1', 1).map((l) => l.length).print());
  assert.equal(diffGraphSignatures(a, b), null);
});

test('the fingerprint covers function sources, parameters, window lengths and the order of operators', () => {
  const base = (ssc: StreamingContext, f: (x: [string, number]) => boolean, partitions: number, window: string) =>
    ssc.queueStream<[string, number]>([]).filter(f).reduceByKeyAndWindow((a, b) => a + b, window, '1s', partitions).print();
  const a = graphOf((ssc) => base(ssc, ([, v]) => v > 1, 2, '3s'));
  assert.match(diffGraphSignatures(a, graphOf((ssc) => base(ssc, ([, v]) => v > 2, 2, '3s')))!, /^first difference at DStream 1: driver FilteredDStream <- \[0\] with fn \(\[,v\]\)=>v>1; executor FilteredDStream <- \[0\] with fn \(\[,v\]\)=>v>2$/);
  assert.match(diffGraphSignatures(a, graphOf((ssc) => base(ssc, ([, v]) => v > 1, 3, '3s')))!, /at DStream 2: driver ShuffledDStream\(reduceByKey\) <- \[1\] with fn .*, 2; executor .*, 3$/);
  assert.match(diffGraphSignatures(a, graphOf((ssc) => base(ssc, ([, v]) => v > 1, 2, '4s')))!, /at DStream 3: driver WindowedDStream <- \[2\] with window 3000 ms.*executor WindowedDStream <- \[2\] with window 4000 ms/);
  const fewer = graphOf((ssc) => ssc.queueStream<[string, number]>([]).filter(([, v]) => v > 1).print());
  assert.match(diffGraphSignatures(a, fewer)!, /at DStream 2: driver ShuffledDStream\(reduceByKey\).*executor print <- \[1\] with 10$/);
});

test('an output function is part of the fingerprint', () => {
  const a = graphOf((ssc) => ssc.queueStream<number>([]).foreachRDD(async (rdd) => console.log(await rdd.count())));
  const b = graphOf((ssc) => ssc.queueStream<number>([]).foreachRDD(async (rdd) => console.log(await rdd.collect())));
  assert.match(diffGraphSignatures(a, b)!, /DStream 1: driver ForEachDStream <- \[0\] with fn async rdd=>console.log\(await rdd.count\(\)\)/);
});
