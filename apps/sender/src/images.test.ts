import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { readAll, runSender, SenderProcess } from './sender-process.js';
import { LONG_NAME, makeImageDirectory, type TestImage } from './test-images.js';

interface ImageFrame {
  nameField: Buffer;
  name: string;
  bytes: Buffer;
}

/** Parses the image frame format independently of the sender's encoder. */
function parseImageFrames(stream: Buffer): ImageFrame[] {
  const frames: ImageFrame[] = [];
  let at = 0;
  while (at < stream.length) {
    assert.ok(stream.length - at >= 32, `a partial header at ${at}`);
    const nameField = stream.subarray(at, at + 28);
    const length = stream.readUInt32BE(at + 28);
    assert.ok(at + 32 + length <= stream.length, `a partial image at ${at}`);
    if (nameField[0] === 0xff) {
      // The long-name variant: 0xFF, the name's length, zeros; the body is the name, then the image.
      const nameLength = nameField.readUInt16BE(1);
      assert.ok(nameField.subarray(3).every((b) => b === 0), 'the rest of a long-name field is zero');
      frames.push({
        nameField: Buffer.alloc(0),
        name: stream.toString('utf8', at + 32, at + 32 + nameLength),
        bytes: stream.subarray(at + 32 + nameLength, at + 32 + length),
      });
    } else {
      const end = nameField.indexOf(0);
      frames.push({
        nameField,
        name: nameField.toString('utf8', 0, end === -1 ? 28 : end),
        bytes: stream.subarray(at + 32, at + 32 + length),
      });
    }
    at += 32 + length;
  }
  return frames;
}

/** The name as the 28-byte field holds it: whole characters only. */
function fieldName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (Buffer.byteLength(out + ch) > 28) break;
    out += ch;
  }
  return out;
}

function assertImages(frames: ImageFrame[], expected: TestImage[], names: 'whole' | 'cut' = 'whole'): void {
  assert.equal(frames.length, expected.length);
  frames.forEach((frame, i) => {
    assert.equal(frame.name, names === 'whole' ? expected[i]!.name : fieldName(expected[i]!.name));
    assert.ok(frame.bytes.equals(expected[i]!.bytes), `bytes of ${expected[i]!.name}`);
    const used = Buffer.byteLength(frame.name);
    assert.ok(frame.nameField.subarray(used).every((b) => b === 0), 'name field is zero-padded');
  });
}

describe('sluice-sender images', { timeout: 60_000 }, () => {
  let dir = '';
  let images: TestImage[] = [];
  before(async () => ({ dir, images } = await makeImageDirectory()));
  after(() => rm(dir, { recursive: true, force: true }));

  test('serves every image file once, framed with its whole name, then closes', async () => {
    const sender = new SenderProcess(['images', '--dir', dir, '--listen', '127.0.0.1:0', '--once']);
    try {
      const frames = parseImageFrames(await readAll({ port: await sender.port() }));
      assertImages(frames, images);
      assert.ok(frames.some((f) => f.name === LONG_NAME), 'the long name whole, in a long-name frame');
      const exit = await sender.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.match(exit.stderr, /done: sent 8 images/);
      assert.match(exit.stderr, /1 name of 28 bytes or more .* long-name frames/);
    } finally {
      sender.stop();
    }
  });

  test('--cut-names sends classic frames only, and says which names it cut', async () => {
    const sender = new SenderProcess(['images', '--dir', dir, '--listen', '127.0.0.1:0', '--once', '--cut-names']);
    try {
      const frames = parseImageFrames(await readAll({ port: await sender.port() }));
      assertImages(frames, images, 'cut');
      assert.ok(frames.some((f) => f.name === fieldName(LONG_NAME) && Buffer.byteLength(f.name) <= 28));
      const exit = await sender.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.ok(exit.stderr.includes(`'${LONG_NAME}' is cut to '${fieldName(LONG_NAME)}'`), exit.stderr);
    } finally {
      sender.stop();
    }
  });

  test('--loop --count cycles through the directory; every client gets its own stream', async () => {
    const sender = new SenderProcess(['images', '--dir', dir, '--listen', '127.0.0.1:0', '--loop', '--count', '19']);
    try {
      const port = await sender.port();
      const [first, second] = await Promise.all([readAll({ port }), readAll({ port })]);
      const expected = Array.from({ length: 19 }, (_, i) => images[i % images.length]!);
      assertImages(parseImageFrames(first), expected);
      assertImages(parseImageFrames(second), expected);
    } finally {
      sender.stop();
    }
  });

  test('--rate spaces the images out', async () => {
    const sender = new SenderProcess(['images', '--dir', dir, '--listen', '127.0.0.1:0', '--rate', '20', '--count', '5', '--once']);
    try {
      const port = await sender.port();
      const started = performance.now();
      const frames = parseImageFrames(await readAll({ port }));
      const elapsed = performance.now() - started;
      assert.equal(frames.length, 5);
      // Five images at 20/s: the last is due 200 ms after the first.
      assert.ok(elapsed >= 180, `took ${elapsed.toFixed(0)} ms`);
    } finally {
      sender.stop();
    }
  });

  test('a directory without images is a clear error', async () => {
    const exit = await runSender(['images', '--dir', `${dir}/folder.png`, '--listen', '127.0.0.1:0']);
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /no image files in .*folder\.png/);
  });
});
