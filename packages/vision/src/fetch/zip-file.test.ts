import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fetchWheel } from './pypi-wheel.js';
import { SCIKIT_IMAGE_WHEEL } from './sample-photos.js';
import { listZipEntries, readZipEntry, readZipFile } from './zip-entry.js';
import { extractZipFileEntry, listZipFileEntries } from './zip-file.js';

describe('zip archives (a real wheel from PyPI)', () => {
  it('lists the same entries from memory and from the file, and streams out the same bytes', async () => {
    const wheel = await fetchWheel(SCIKIT_IMAGE_WHEEL, () => {});
    const archive = await readFile(wheel);
    const inMemory = listZipEntries(archive);
    const fromFile = await listZipFileEntries(wheel);
    assert.deepEqual(fromFile, inMemory);
    const png = inMemory.find((entry) => entry.name === 'skimage/data/chelsea.png')!;
    assert.equal(png.method, 8, 'deflated');
    const directory = await mkdtemp(join(tmpdir(), 'sluice-zip-test-'));
    try {
      await extractZipFileEntry(wheel, png, join(directory, 'out', 'chelsea.png'));
      const streamed = await readFile(join(directory, 'out', 'chelsea.png'));
      assert.deepEqual(streamed, readZipEntry(archive, png));
      assert.equal(streamed.subarray(1, 4).toString('latin1'), 'PNG');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    assert.throws(() => readZipFile(archive, 'skimage/data/no-such.png', 'the wheel'), /the wheel has no skimage\/data\/no-such.png/);
    assert.throws(() => listZipEntries(Buffer.from('not a zip at all, just some text')), /not a zip archive/);
  });
});
