import { inflateRawSync } from 'node:zlib';

/**
 * Reads files out of a zip archive held in memory (a Python wheel or a Java jar):
 * the central directory at the end lists every entry with its offset, and each entry
 * is stored or deflated. Zip64 and encryption are not needed for the archives read
 * here and are refused with a clear error.
 */
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  method: number;
  localHeaderOffset: number;
}

export function listZipEntries(archive: Buffer): ZipEntry[] {
  const end = findEndOfCentralDirectory(archive);
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  if (at === 0xffffffff) throw new Error('zip64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error(`corrupt zip: no central directory entry at byte ${at}`);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    entries.push({
      method: archive.readUInt16LE(at + 10),
      compressedSize: archive.readUInt32LE(at + 20),
      size: archive.readUInt32LE(at + 24),
      localHeaderOffset: archive.readUInt32LE(at + 42),
      name: archive.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export function readZipEntry(archive: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (archive.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new Error(`corrupt zip: no local header for ${entry.name}`);
  const dataStart = at + 30 + archive.readUInt16LE(at + 26) + archive.readUInt16LE(at + 28);
  const compressed = archive.subarray(dataStart, dataStart + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = Buffer.from(compressed);
  else if (entry.method === 8) data = inflateRawSync(compressed);
  else throw new Error(`zip entry ${entry.name} uses compression method ${entry.method}; only stored and deflated are supported`);
  if (data.length !== entry.size) throw new Error(`zip entry ${entry.name} inflated to ${data.length} bytes, expected ${entry.size}`);
  return data;
}

/** The one entry whose name is `name`, or an error listing what the archive is. */
export function readZipFile(archive: Buffer, name: string, archiveName: string): Buffer {
  const entry = listZipEntries(archive).find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`${archiveName} has no ${name}`);
  return readZipEntry(archive, entry);
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const earliest = Math.max(0, archive.length - 22 - 0xffff);
  for (let at = archive.length - 22; at >= earliest; at--) {
    if (archive.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error('not a zip archive (no end-of-central-directory record)');
}
