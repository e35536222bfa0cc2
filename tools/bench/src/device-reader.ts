/**
 * The bare limit for the device source: a plain Node reader that opens the same Unix
 * socket or FIFO and parses the same device frames with DeviceFramer (sync word, header,
 * CRC-32 of every payload), adding up the payloads' lengths, with no engine around it.
 * Prints {"messages": N, "bytes": B, "seconds": S}, timed from the first byte.
 *
 *   node --import tsx device-reader.ts unix|fifo <path>
 */
import { constants, openSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { DeviceFramer } from '@sluice/protocol';
import { readAndReport } from './bare-reader.js';

const transport = process.argv[2];
const path = process.argv[3]!;
// The FIFO is opened as the device receiver opens it: without blocking, read through a pipe handle.
const input =
  transport === 'fifo'
    ? new Socket({ fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false })
    : connect({ path });
readAndReport(input, new DeviceFramer(), (totals, _buf, start, end) => {
  totals.messages++;
  totals.bytes += end - start;
});
