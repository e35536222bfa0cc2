/**
 * The bare limit: a plain Node reader that connects to the sender and parses the same
 * frames (read the length, slice the payload, add its length), with no engine around it.
 * Prints {"messages": N, "bytes": B, "seconds": S}.
 *
 *   node --import tsx raw-reader.ts <port>
 */
import { connect } from 'node:net';
import { LengthPrefixedFramer } from '@sluice/protocol';
import { readAndReport } from './bare-reader.js';

readAndReport(connect({ host: '127.0.0.1', port: Number(process.argv[2]) }), new LengthPrefixedFramer(), (totals, buf, start, end) => {
  const payload = buf.subarray(start, end);
  totals.messages++;
  totals.bytes += payload.length;
});
