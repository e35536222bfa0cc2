/** Test support: a directory of small real images, made with sharp. */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export interface TestImage {
  name: string;
  bytes: Buffer;
}

/** A name longer than the 28-byte name field, with multi-byte characters around the cut. */
export const LONG_NAME = 'ünïcödé-ümläüts-and-a-very-long-name.png';

/**
 * Makes a temporary directory holding one image of each format the sender takes (with
 * names in mixed case) and some entries it must skip. Returns the directory and the
 * images in the order the sender sends them (by name).
 */
export async function makeImageDirectory(): Promise<{ dir: string; images: TestImage[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-sender-images-'));
  const formats: [string, keyof sharp.FormatEnum][] = [
    ['a-red.png', 'png'],
    ['b-green.JPG', 'jpeg'],
    ['c-blue.jpeg', 'jpeg'],
    ['d-gray.webp', 'webp'],
    ['e-anim.gif', 'gif'],
    ['f-scan.TIF', 'tiff'],
    ['g-scan.tiff', 'tiff'],
    [LONG_NAME, 'png'],
  ];
  for (const [i, [name, format]] of formats.entries()) {
    await sharp({ create: { width: 16 + i, height: 12, channels: 3, background: { r: 30 * i, g: 200 - 20 * i, b: 90 } } })
      .toFormat(format)
      .toFile(join(dir, name));
  }
  await writeFile(join(dir, 'notes.txt'), 'not an image');
  await writeFile(join(dir, 'image.png.bak'), 'not an image either');
  await mkdir(join(dir, 'folder.png'));

  const names = formats.map(([name]) => name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const images = await Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })));
  return { dir, images };
}
