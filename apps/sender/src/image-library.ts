import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** File name endings taken for images; anything else in the directory is skipped. */
const IMAGE_FILE = /\.(jpe?g|png|webp|gif|tiff?)$/i;

/** Directories up to this size are kept in memory after the first read; larger ones are re-read. */
const CACHE_BYTES = 256 * 1024 * 1024;

export interface ImageFile {
  /** The file name, which becomes the frame's name field (or the Kafka key). */
  name: string;
  path: string;
}

/** The image files of one directory (not its subdirectories), in name order. */
export class ImageLibrary {
  private readonly cache = new Map<string, Buffer>();
  private cachedBytes = 0;

  private constructor(readonly files: readonly ImageFile[]) {}

  static async open(dir: string): Promise<ImageLibrary> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new Error(`cannot read image directory ${dir}: ${(error as Error).message}`);
    }
    const files: ImageFile[] = [];
    for (const entry of entries) {
      if (!IMAGE_FILE.test(entry.name)) continue;
      const path = join(dir, entry.name);
      // Follow symbolic links, but leave out directories that happen to be named *.png.
      if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path)).isFile())) files.push({ name: entry.name, path });
    }
    if (files.length === 0) {
      throw new Error(`no image files in ${dir} (looked for .jpg .jpeg .png .webp .gif .tif .tiff)`);
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return new ImageLibrary(files);
  }

  /** The file for the n-th image sent, cycling through the directory. */
  fileAt(n: number): ImageFile {
    return this.files[n % this.files.length]!;
  }

  async read(file: ImageFile): Promise<Buffer> {
    const cached = this.cache.get(file.path);
    if (cached) return cached;
    const bytes = await readFile(file.path);
    if (this.cachedBytes + bytes.length <= CACHE_BYTES) {
      this.cache.set(file.path, bytes);
      this.cachedBytes += bytes.length;
    }
    return bytes;
  }
}
