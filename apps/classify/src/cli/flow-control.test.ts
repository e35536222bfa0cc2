import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConf } from '@sluice/streaming';
import { parseClassifyArgs } from './parse-options.js';

const kafka = ['--source', 'kafka://localhost:9092/images'];
const conf = (argv: string[]) => resolveConf(parseClassifyArgs(argv).conf);

describe('sluice-classify flow control', () => {
  it('turns backpressure on for a Kafka source, from one inference batch per executor core per batch duration', () => {
    const c = conf([...kafka, '--executors', '2', '--batch-size', '8']);
    assert.equal(c.backpressureEnabled, true);
    assert.equal(c.backpressureInitialRate, 16);
    assert.equal(c.backpressurePidMinRate, 2, "one image per executor core per second, not Spark's 100 records/s");
    const fast = conf([...kafka, '--executors', '1', '--executor-cores', '2', '--batch-size', '4', '--batch-duration', '500ms']);
    assert.equal(fast.backpressureInitialRate, 16);
  });

  it('leaves it off for socket and device sources unless asked, and seeds it when asked', () => {
    assert.equal(conf(['--source', 'socket://localhost:1']).backpressureEnabled, false);
    const asked = conf(['--source', 'socket://localhost:1', '--executors', '1', '--conf', 'backpressureEnabled=true']);
    assert.equal(asked.backpressureEnabled, true);
    assert.equal(asked.backpressureInitialRate, 8);
  });

  it("can be turned off, by flag or by --conf, and the user's own settings win", () => {
    assert.equal(conf([...kafka, '--no-backpressure']).backpressureEnabled, false);
    assert.equal(conf([...kafka, '--conf', 'backpressureEnabled=false']).backpressureEnabled, false);
    assert.equal(conf([...kafka, '--no-backpressure']).backpressureInitialRate, 0);
    const own = conf([...kafka, '--conf', 'backpressureInitialRate=50', '--conf', 'backpressurePidMinRate=5']);
    assert.equal(own.backpressureInitialRate, 50);
    assert.equal(own.backpressurePidMinRate, 5);
    assert.throws(() => parseClassifyArgs([...kafka, '--no-backpressure', '--conf', 'backpressureEnabled=true']), /say the same thing twice/);
  });
});
