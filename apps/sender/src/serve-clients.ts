import { lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { ListenAddress } from './cli-args.js';
import { log } from './progress.js';
import { StreamWriter } from './stream-writer.js';

/** Where to listen: a TCP address, or the path of a Unix domain socket. */
export type ListenTarget = ListenAddress | { path: string };

export interface ServeOptions {
  target: ListenTarget;
  /** Stop after the first client has been served (further clients are turned away meanwhile). */
  once: boolean;
  /** The command name, for log lines. */
  label: string;
}

/** Sends one client its stream and ends it; `peer` names the client in log lines. */
export type ServeClient = (writer: StreamWriter, peer: string) => Promise<void>;

/**
 * Listens like `nc -lk`: every client that connects gets its own stream from `serve`,
 * and the server goes on listening until interrupted, or until the first client has been
 * served with `once`. Logs "<label>: listening on <address>" once it accepts connections,
 * which is what scripts and tests wait for (with port 0 it carries the port chosen).
 */
export async function serveClients(options: ServeOptions, serve: ServeClient): Promise<void> {
  if ('path' in options.target) await removeStaleSocket(options.target.path);
  const server = createServer();
  const sockets = new Set<Socket>();
  await listen(server, options.target);
  log(`${options.label}: listening on ${describeAddress(server)}`);

  await new Promise<void>((resolve, reject) => {
    let served = false;
    const stop = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      server.close();
      for (const socket of sockets) socket.destroy();
    };
    const onSignal = (signal: string) => {
      log(`${options.label}: ${signal}, stopping`);
      stop();
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    server.on('connection', (socket) => {
      if (options.once && served) {
        socket.destroy();
        return;
      }
      served = true;
      sockets.add(socket);
      socket.setNoDelay(true);
      const peer = 'path' in options.target ? `unix client on ${options.target.path}` : `${socket.remoteAddress}:${socket.remotePort}`;
      log(`${options.label}: ${peer} connected`);
      serve(new StreamWriter(socket), peer)
        .then(
          () => {
            if (!options.once) return;
            stop();
            resolve();
          },
          (error: Error) => {
            log(`${options.label}: serving ${peer} failed: ${error.message}`);
            socket.destroy();
            if (options.once) {
              stop();
              reject(error);
            }
          },
        )
        .finally(() => sockets.delete(socket));
    });
  });
}

function listen(server: Server, target: ListenTarget): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = 'path' in target ? target.path : `${target.host}:${target.port}`;
      const hint =
        error.code === 'EADDRINUSE' ? ' (address in use: is another sender running? pick another --listen port)' : '';
      reject(new Error(`cannot listen on ${where}: ${error.message}${hint}`));
    });
    if ('path' in target) server.listen(target.path, resolve);
    else server.listen(target.port, target.host, resolve);
  });
}

function describeAddress(server: Server): string {
  const address = server.address();
  if (address === null || typeof address === 'string') return String(address);
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

/**
 * A socket file left by a sender that did not shut down cleanly would make listen fail;
 * it is removed, unless a live server still answers on it or the path is not a socket.
 */
async function removeStaleSocket(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (info === null) return;
  if (!info.isSocket()) throw new Error(`${path} exists and is not a Unix socket; refusing to replace it`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new Error(`another server is listening on ${path}`);
  await unlink(path);
}
