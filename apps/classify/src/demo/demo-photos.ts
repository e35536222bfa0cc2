// The subpath, not the package's main entry, which loads TensorFlow.js (the demo's driver runs no model).
import { samplePhotos, type SamplePhoto } from '@sluice/vision/sample-photos';

/**
 * Photos an ImageNet classifier has a class for, in the order the demo sends them:
 * scikit-image's sample photos (see samplePhotos in @sluice/vision), fetched from PyPI
 * once and cached.
 */
export const DEMO_PHOTOS = ['chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png', 'astronaut.png', 'camera.png'] as const;

export type Photo = SamplePhoto;

export function demoPhotos(log: (line: string) => void): Promise<Photo[]> {
  return samplePhotos(DEMO_PHOTOS, log);
}
