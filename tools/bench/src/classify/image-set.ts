import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file endings sluice-sender sends, so both sides of the comparison see the same images. */
const IMAGE_FILE = /\.(jpe?g|png|webp|gif|tiff?)$/i;

export interface BenchImage {
  name: string;
  bytes: Buffer;
}

/** The images of a directory in name order (as sluice-sender orders them). */
export async function readImageDirectory(dir: string): Promise<BenchImage[]> {
  const names = (await readdir(dir)).filter((n) => IMAGE_FILE.test(n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) throw new Error(`no images in ${dir} (looked for .jpg .jpeg .png .webp .gif .tif .tiff)`);
  return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })));
}

/** The n-th image of a run of `count`: the directory cycled, as `sluice-sender --loop --count`. */
export function imageSequence(images: BenchImage[], count: number): BenchImage[] {
  return Array.from({ length: count }, (_, i) => images[i % images.length]!);
}
