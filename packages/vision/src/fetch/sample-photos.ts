import { readFile } from 'node:fs/promises';
import type { Log } from '../log.js';
import { fetchWheel, type WheelRequest } from './pypi-wheel.js';
import { listZipEntries, readZipEntry } from './zip-entry.js';

/**
 * Real photographs that a registry package ships: the sample images inside
 * scikit-image's wheel on PyPI (skimage/data/: "chelsea.png" a cat, "coffee.png" a cup
 * of espresso, "rocket.jpg", "astronaut.png", "motorcycle_left.png", "camera.png", ...).
 * The wheel is fetched once with pip into the cache and the photos are read straight
 * out of the zip; nothing is installed. Its data files are the same in every
 * platform's build, so one build is named to make the download the same everywhere.
 */
export const SCIKIT_IMAGE_WHEEL: WheelRequest = {
  name: 'scikit-image',
  version: '0.26.0',
  size: '14 MB',
  platform: { platform: 'manylinux_2_28_x86_64', pythonVersion: '3.11', abi: 'cp311' },
};

export interface SamplePhoto {
  name: string;
  bytes: Buffer;
}

export async function samplePhotos(names: readonly string[], log: Log): Promise<SamplePhoto[]> {
  const wheel = await fetchWheel(SCIKIT_IMAGE_WHEEL, log);
  const archive = await readFile(wheel);
  const entries = listZipEntries(archive);
  return names.map((name) => {
    const entry = entries.find((candidate) => candidate.name === `skimage/data/${name}`);
    if (!entry) throw new Error(`${wheel} has no skimage/data/${name}`);
    return { name, bytes: readZipEntry(archive, entry) };
  });
}
