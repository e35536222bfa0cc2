import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnJsonChild, type JsonChild } from './child.js';

/**
 * The sources the ingest benchmark compares, each with a sender process and a bare
 * reader process that parses exactly what the engine's receiver parses:
 *
 *  - socket: length-prefixed messages over TCP into socketStream (frame-sender, raw-reader);
 *  - raw:    raw blocks over TCP into rawSocketStream (raw-block-sender, raw-block-reader);
 *  - device: device frames over a Unix socket or a FIFO into the device receiver
 *            (device-frame-sender, device-reader).
 */
export const INGEST_SOURCES = ['socket', 'raw', 'device'] as const;
export type IngestSource = (typeof INGEST_SOURCES)[number];
export type DeviceTransport = 'unix' | 'fifo';

/** A sender that is ready for its one reader, and how that reader finds it. */
export interface StartedSender {
  sender: JsonChild;
  /** The job's arguments: the source and its port or path. */
  jobArgs: string[];
  /** The bare reader of this source, as a file of this folder and its arguments. */
  reader: { file: string; args: string[] };
  /** Removes what the run left behind (the FIFO or socket's directory). */
  cleanup(): void;
}

export interface SenderOptions {
  size: number;
  seconds: number;
  /** device: how the frames travel. */
  transport: DeviceTransport;
  /** raw: records per block. */
  blockRecords: number;
}

/** Records per raw block unless told: 1000, fewer when a block would pass 4 MiB. */
export function defaultBlockRecords(size: number): number {
  return Math.max(1, Math.min(1000, Math.floor((4 * 1024 * 1024) / size)));
}

export async function startSender(source: IngestSource, options: SenderOptions): Promise<StartedSender> {
  const { size, seconds, transport } = options;
  const timing = [String(size), String(seconds)];
  if (source === 'device') {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-ingest-'));
    const path = join(dir, transport === 'fifo' ? 'device.fifo' : 'device.sock');
    const sender = spawnJsonChild('./device-frame-sender.ts', [...timing, transport, path]);
    await sender.next();
    return {
      sender,
      jobArgs: ['device', path],
      reader: { file: './device-reader.ts', args: [transport, path] },
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const sender =
    source === 'raw'
      ? spawnJsonChild('./raw-block-sender.ts', [...timing, String(options.blockRecords)])
      : spawnJsonChild('./frame-sender.ts', timing);
  const { port } = await sender.next();
  return {
    sender,
    jobArgs: [source, String(port)],
    reader: { file: source === 'raw' ? './raw-block-reader.ts' : './raw-reader.ts', args: [String(port)] },
    cleanup: () => {},
  };
}
