/**
 * The bare limit for the raw source: a plain Node reader that connects to the sender and
 * parses the same raw blocks (the length prefix, then each block's record table), adding
 * up the records' lengths, with no engine around it. Prints {"messages": N, "bytes": B,
 * "seconds": S}.
 *
 *   node --import tsx raw-block-reader.ts <port>
 */
import { connect } from 'node:net';
import { LengthPrefixedFramer, rawBlockOffsets } from '@sluice/protocol';
import { readAndReport } from './bare-reader.js';

readAndReport(connect({ host: '127.0.0.1', port: Number(process.argv[2]) }), new LengthPrefixedFramer(), (totals, buf, start, end) => {
  const offsets = rawBlockOffsets(buf.subarray(start, end));
  for (let i = 0; i < offsets.length; i += 2) totals.bytes += offsets[i + 1]! - offsets[i]!;
  totals.messages += offsets.length / 2;
});
