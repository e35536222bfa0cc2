import assert from 'node:assert/strict';
import { createServer, connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LengthPrefixedFramer, encodeLengthPrefixed, type FrameSink } from '@sluice/protocol';
import { decodeBlockInto } from '../rdd/block-rdd.js';
import { BlockBuilder } from './block-builder.js';
import { joinAdjacent, slabReader } from './slab-reader.js';

test('joinAdjacent returns a view for pieces next to each other in memory and a copy otherwise', () => {
  const slab = Buffer.alloc(10);
  slab.write('abcdefghij');
  const view = joinAdjacent([slab.subarray(0, 3), slab.subarray(3, 7), slab.subarray(7, 10)], 10);
  assert.equal(view.toString(), 'abcdefghij');
  assert.equal(view.buffer, slab.buffer, 'a view of the slab');
  const apart = joinAdjacent([slab.subarray(0, 3), Buffer.from('XYZ')], 6);
  assert.equal(apart.toString(), 'abcXYZ');
  assert.notEqual(apart.buffer, slab.buffer);
});

test('records read through slabs come out whole and in order, frames split across reads included', async () => {
  const sizes = [5, 3_000_000, 70_000, 1, 0, 2_500_000, 100];
  const payloads = sizes.map((n, i) => Buffer.alloc(n, 65 + i));
  const server = createServer((socket) => {
    // Written in odd-sized pieces so that frames arrive split across many reads.
    const all = Buffer.concat(payloads.map((p) => encodeLengthPrefixed(p)));
    let at = 0;
    const pump = () => {
      while (at < all.length) {
        const end = Math.min(all.length, at + 40_000 + (at % 7_777));
        const ok = socket.write(all.subarray(at, end));
        at = end;
        if (!ok) return void socket.once('drain', pump);
      }
      socket.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const builder = new BlockBuilder(0);
  const framer = new LengthPrefixedFramer();
  const sink: FrameSink = {
    record: (buf, start, end) => builder.addFrame(buf, start, end),
    recordPieces: (pieces, length) => builder.addFramePieces(pieces, length),
    fault: (f) => assert.fail(f.message),
  };
  await new Promise<void>((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      onread: slabReader((chunk) => framer.push(chunk, sink)),
    });
    socket.on('end', resolve);
  });
  server.close();
  const [block] = builder.cut();
  assert.ok(block);
  const out: Buffer[] = [];
  decodeBlockInto(block, (b) => b, out);
  assert.equal(out.length, payloads.length);
  for (let i = 0; i < payloads.length; i++) assert.ok(out[i]!.equals(payloads[i]!), `record ${i} (${sizes[i]} bytes)`);
});
