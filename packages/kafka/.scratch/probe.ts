import { Kafka, logLevel, Partitioners } from 'kafkajs';
const brokers = [process.env.KAFKA_BROKERS!];
const kafka = new Kafka({ brokers, clientId: 'probe', logLevel: logLevel.NOTHING });
const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster')!;
const cluster = (kafka as any)[sym]({ allowAutoTopicCreation: false, isolationLevel: 1 });
const topic = `probe-${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const N = 50000;
const value = Buffer.alloc(1000, 'x');
for (let i = 0; i < N; i += 1000) await producer.send({ topic, messages: Array.from({ length: 1000 }, (_, k) => ({ key: String(i + k), value, partition: (i + k) % 2 })) });
await cluster.connect();
const md = await cluster.metadata();
console.log('topics', md.topicMetadata.length, md.topicMetadata.find((t: any) => t.topic === topic)?.partitionMetadata.length);
await cluster.addMultipleTargetTopics([topic]);
const offs = await cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions: [{ partition: 0 }, { partition: 1 }] }]);
console.log(JSON.stringify(offs));
const leaders = cluster.findLeaderForPartitions(topic, [0]);
const broker = await cluster.findBroker({ nodeId: Object.keys(leaders)[0] });
let t0 = performance.now(); let off = 0; let n = 0; let fetches = 0;
while (off < N / 2) {
  const r = await broker.fetch({ replicaId: -1, isolationLevel: 1, maxWaitTime: 100, minBytes: 1, maxBytes: 4 << 20, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: String(off), maxBytes: 4 << 20 }] }] });
  const p = r.responses[0].partitions[0];
  fetches++;
  for (const m of p.messages) { const o = Number(m.offset); if (o >= off) { n++; off = o + 1; } }
  if (fetches === 1) console.log(Object.keys(p), p.highWatermark, p.lastStableOffset, Object.keys(p.messages[0]), p.messages[0].batchContext);
}
console.log('read', n, 'in', (performance.now() - t0).toFixed(0), 'ms', fetches, 'fetches');
const coord = await cluster.findGroupCoordinator({ groupId: 'g-' + topic });
const c = await coord.offsetCommit({ groupId: 'g-' + topic, groupGenerationId: -1, memberId: '', topics: [{ topic, partitions: [{ partition: 0, offset: '123' }] }] });
console.log('commit', JSON.stringify(c));
const f = await coord.offsetFetch({ groupId: 'g-' + topic, topics: [{ topic, partitions: [{ partition: 0 }, { partition: 1 }] }] });
console.log('fetch', JSON.stringify(f));
console.log(JSON.stringify(await admin.fetchOffsets({ groupId: 'g-' + topic, topics: [topic] })));
await admin.deleteTopics({ topics: [topic] });
await Promise.all([admin.disconnect(), producer.disconnect(), cluster.disconnect()]);
