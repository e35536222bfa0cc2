import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderServerProperties, serverProperties } from './server-properties.js';

test('describes a single KRaft node on 127.0.0.1 that supports groups and transactions', () => {
  const props = serverProperties({ port: 19092, controllerPort: 19093, logDir: '/tmp/x/kraft-data' });
  assert.equal(props['process.roles'], 'broker,controller');
  assert.equal(props['controller.quorum.voters'], '1@127.0.0.1:19093');
  assert.equal(props.listeners, 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
  assert.equal(props['advertised.listeners'], 'PLAINTEXT://127.0.0.1:19092');
  assert.equal(props['offsets.topic.replication.factor'], 1);
  assert.equal(props['transaction.state.log.replication.factor'], 1);
  assert.equal(props['transaction.state.log.min.isr'], 1);
  assert.equal(props['group.initial.rebalance.delay.ms'], 0);
});

test('renders one key=value line per property', () => {
  const text = renderServerProperties({ port: 19092, controllerPort: 19093, logDir: '/tmp/x/kraft-data' });
  assert.match(text, /^log\.dirs=\/tmp\/x\/kraft-data$/m);
  assert.match(text, /^node\.id=1$/m);
  assert.ok(text.endsWith('\n'));
});
