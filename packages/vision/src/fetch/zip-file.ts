import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { listZipEntries, type ZipEntry } from './zip-entry.js';

/**
 * Zip archives too large to hold in memory (a 160 MB jar holding a 630 MB library, a
 * 230 MB wheel): the central directory is read from the end of the file, and each
 * entry is streamed through inflate straight to its destination file.
 */
export async function listZipFileEntries(path: string): Promise<ZipEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    const end = findEnd(tail);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset === 0xffffffff || directorySize === 0xffffffff) throw new Error(`${path} is a zip64 archive, which is not supported`);
    // Hand listZipEntries a buffer shaped like the archive's end: the directory, then
    // the end record pointing at offset 0.
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    const record = Buffer.from(tail.subarray(end, end + 22));
    record.writeUInt32LE(0, 16);
    return listZipEntries(Buffer.concat([directory, record]));
  } finally {
    await file.close();
  }
}

export async function extractZipFileEntry(path: string, entry: ZipEntry, destination: string): Promise<void> {
  const file = await open(path, 'r');
  let dataStart: number;
  try {
    const header = Buffer.alloc(30);
    await file.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`corrupt zip ${path}: no local header for ${entry.name}`);
    dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await file.close();
  }
  await mkdir(dirname(destination), { recursive: true });
  const source = createReadStream(path, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  if (entry.method === 0) await pipeline(source, createWriteStream(destination));
  else if (entry.method === 8) await pipeline(source, createInflateRaw(), createWriteStream(destination));
  else throw new Error(`zip entry ${entry.name} uses compression method ${entry.method}`);
}

function findEnd(tail: Buffer): number {
  for (let at = tail.length - 22; at >= 0; at--) if (tail.readUInt32LE(at) === 0x06054b50) return at;
  throw new Error('not a zip archive (no end-of-central-directory record)');
}
