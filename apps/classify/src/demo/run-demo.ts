import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassifyCommand } from '../cli/parse-options.js';
import { jobSettingsOf } from '../cli/command-settings.js';
import { runClassifier } from '../run/run-classifier.js';
import { writeDemoImages } from './demo-images.js';
import { demoPhotos } from './demo-photos.js';
import { startImageSender, type RunningSender } from './image-sender.js';

/** A demo that has not finished by then is stuck; it says so rather than hang. */
const DEMO_TIME_LIMIT_MS = 180_000;
/** Images per second the sender offers: about what 2 wasm executors classify with EfficientNet-Lite0, so the images
 *  spread over several batches and the results come out batch by batch. */
const DEMO_SEND_RATE = 12;

/**
 * `sluice-classify --demo` (what `npm start` runs): writes real photos (scikit-image's
 * sample data, fetched from PyPI once) and a few broken files into a temporary directory, serves them once with sluice-sender, classifies them
 * on local executors over a socket, and stops when every image has its result.
 */
export async function runDemo(cmd: ClassifyCommand, pictures: number, launchedAt: number): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'sluice-classify-demo-'));
  let sender: RunningSender | null = null;
  try {
    const photos = await demoPhotos(log);
    const { broken } = await writeDemoImages(dir, photos, pictures);
    const total = pictures + broken.length;
    log(
      `demo: wrote ${pictures} photos (${photos.map((p) => p.name).join(', ')}, from scikit-image's sample data) ` +
        `and ${broken.length} broken files (${broken.map((b) => b.kind).join(', ')}) into ${dir}`,
    );
    // --once: the stream ends after one pass, so every image is sent exactly once.
    sender = await startImageSender(dir, ['--once', '--rate', String(DEMO_SEND_RATE)], (line) => log(`demo: sender: ${line}`));
    log(`demo: sluice-sender serves them on 127.0.0.1:${sender.port}; classifying until ${total} results`);
    const { summary, failure, ui } = await runClassifier({
      settings: jobSettingsOf(cmd, { kind: 'socket', host: '127.0.0.1', port: sender.port }),
      // The sender closing the connection after its one pass ends the run (as any socket source does).
      conf: cmd.conf,
      count: Math.min(total, cmd.count ?? total),
      runForMs: cmd.runForMs ?? DEMO_TIME_LIMIT_MS,
      summaryJsonPath: cmd.summaryJsonPath,
      launchedAt,
      handleSignals: true,
      ui: cmd.ui,
    });
    await ui?.stop();
    if (failure || summary.failed_batches > 0) return 1;
    if (summary.images < Math.min(total, cmd.count ?? total)) {
      log(`demo: only ${summary.images} of ${total} images have a result`);
      return 1;
    }
    return 0;
  } finally {
    await sender?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
