import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomClusterId } from './cluster-id.js';

test('is 16 bytes in unpadded base64url that no option parser mistakes for a flag', () => {
  for (let i = 0; i < 1000; i++) {
    const id = randomClusterId();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    assert.equal(Buffer.from(id, 'base64url').length, 16);
  }
});
