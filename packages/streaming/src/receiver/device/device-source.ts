import { constants, createReadStream, open, stat, type Stats } from 'node:fs';
import { connect, Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** How to open a device path; 'auto' decides from what fs.stat says the path is. */
export type DeviceMode = 'auto' | 'file' | 'fifo' | 'unix';

/**
 * What was opened, which decides what the end of its stream means:
 *  - 'unix': a Unix domain socket (connected to);
 *  - 'fifo': a named pipe (its writer may go away and a new one come);
 *  - 'char-device': a character device such as an FPGA's DMA channel;
 *  - 'file': a regular file or block device, a recording with a definite end.
 */
export type DeviceSourceKind = 'unix' | 'fifo' | 'char-device' | 'file';

/** An opened device: a readable byte stream and what it is. */
export interface DeviceSource {
  readonly kind: DeviceSourceKind;
  readonly path: string;
  readonly stream: Readable;
  /** "FIFO /tmp/dev", "unix socket /run/nic.sock", ... for messages. */
  readonly description: string;
}

/** Reads of files and character devices: large enough to amortise a system call. */
const FILE_READ_BYTES = 256 * 1024;

/**
 * Opens `path` for reading, as `mode` says or as fs.stat finds it. Rejects with a message
 * that names the path and what is wrong with it (missing, a directory, nothing listening).
 */
export async function openDeviceSource(path: string, mode: DeviceMode): Promise<DeviceSource> {
  const kind = await sourceKind(path, mode);
  const description = `${KIND_NAMES[kind]} ${path}`;
  switch (kind) {
    case 'unix':
      return { kind, path, description, stream: await connectUnixSocket(path) };
    case 'fifo':
      return { kind, path, description, stream: await openFifo(path) };
    case 'char-device':
    case 'file':
      return { kind, path, description, stream: await openFileStream(path) };
  }
}

const KIND_NAMES: Record<DeviceSourceKind, string> = {
  unix: 'unix socket',
  fifo: 'FIFO',
  'char-device': 'device',
  file: 'file',
};

async function sourceKind(path: string, mode: DeviceMode): Promise<DeviceSourceKind> {
  // A socket path is not stat'ed in 'unix' mode: connect() gives the better error.
  if (mode === 'unix') return 'unix';
  const info = await statPath(path);
  if (info.isDirectory()) throw new Error(`device path ${path} is a directory, not a device, FIFO, socket or file`);
  const found: DeviceSourceKind = info.isSocket()
    ? 'unix'
    : info.isFIFO()
      ? 'fifo'
      : info.isCharacterDevice()
        ? 'char-device'
        : 'file';
  if (mode === 'fifo' && found !== 'fifo') {
    throw new Error(`device path ${path} is a ${KIND_NAMES[found]}, not a FIFO (use mode 'auto' to read it as it is)`);
  }
  // 'file' mode reads anything through fs.createReadStream, except a socket, which cannot be opened.
  if (mode === 'file' && found === 'unix') {
    throw new Error(`device path ${path} is a unix socket: it cannot be read as a file (use mode 'unix' or 'auto')`);
  }
  if (mode === 'file' && found === 'fifo') return 'char-device';
  return found;
}

function statPath(path: string): Promise<Stats> {
  return new Promise((resolve, reject) =>
    stat(path, (err, info) => {
      if (!err) return resolve(info);
      if (err.code === 'ENOENT') {
        reject(new Error(`device path ${path} does not exist (yet): waiting for the device, or the writer, to create it`));
      } else {
        reject(new Error(`cannot stat device path ${path}: ${err.message}`));
      }
    }),
  );
}

function connectUnixSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      const why =
        err.code === 'ENOENT'
          ? 'no such socket (is the device or sender running?)'
          : err.code === 'ECONNREFUSED'
            ? 'connection refused: nothing is listening on it'
            : err.message;
      reject(new Error(`cannot connect to unix socket ${path}: ${why}`));
    });
  });
}

/**
 * Opens a FIFO without blocking and reads it through a libuv pipe handle (epoll), like a
 * socket. A plain blocking open would wait in a thread-pool thread until a writer comes,
 * and a blocking read would hold one while the writer is idle; neither can be cancelled,
 * so stopping the receiver could leave threads (and the process) hanging.
 *
 * Opened this way the FIFO reports no end of file before a writer has come and gone: the
 * reader simply waits for the next writer. allowHalfOpen keeps the handle open at the end
 * of a writer's stream, so that a new reader can be opened before this one closes and a
 * writer arriving in between never finds the FIFO without a reader.
 */
function openFifo(path: string): Promise<Socket> {
  return new Promise((resolve, reject) =>
    open(path, constants.O_RDONLY | constants.O_NONBLOCK, (err, fd) => {
      if (err) return reject(new Error(`cannot open FIFO ${path} for reading: ${err.message}`));
      resolve(new Socket({ fd, readable: true, writable: false, allowHalfOpen: true }));
    }),
  );
}

function openFileStream(path: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    const stream = createReadStream(path, { highWaterMark: FILE_READ_BYTES });
    stream.once('open', () => {
      stream.removeAllListeners('error');
      resolve(stream);
    });
    stream.once('error', (err) => reject(new Error(`cannot open ${path} for reading: ${err.message}`)));
  });
}
