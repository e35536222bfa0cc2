import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summariseBrokerLog } from './broker-log-summary.js';

test('puts ERROR lines and their exception message before the tail', () => {
  const log = [
    '[t] INFO starting (kafka.server.KafkaRaftServer)',
    '[t] ERROR Unable to start acceptor (kafka.network.DataPlaneAcceptor)',
    'org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:9092: Address already in use.',
    '\tat kafka.network.Acceptor.openServerSocket(SocketServer.scala:734)',
    ...Array.from({ length: 30 }, (_, i) => `[t] INFO shutting down ${i}`),
  ].join('\n');
  const summary = summariseBrokerLog(log);
  const lines = summary.split('\n');
  assert.match(lines[0] ?? '', /ERROR Unable to start acceptor/);
  assert.match(lines[1] ?? '', /Address already in use/);
  assert.match(summary, /shutting down 29$/);
  assert.doesNotMatch(summary, /shutting down 5\n/);
});

test('falls back to the tail when nothing was logged at ERROR', () => {
  assert.equal(summariseBrokerLog('Error: Could not find or load main class kafka.Kafka\n'), 'Error: Could not find or load main class kafka.Kafka');
  assert.equal(summariseBrokerLog(''), '(the log is empty)');
});
