/**
 * sluice-classify's Classifier page in a real browser (Debian's chromium through
 * playwright-core): opened while the classifier runs, it must come to show, without a
 * reload, exactly what the classifier reported in its summary and wrote as results:
 * images classified, errors, images/s, latency percentiles, top-1 label counts and the
 * images that could not be classified. Pictures and broken files are made by the test.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_MODEL_SPEC } from '@sluice/vision/stream';
import { brokenImages, renderPicture, startImageSender, type ResultRecord, runClassifier } from '@sluice/classify/testing';
import { launchBrowser } from '../fixtures/ui-helpers.js';

/** The page's own formatting of a duration (fmtMs of packages/ui/static/format.js). */
function shownMs(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The smallest value that at least p percent of the values do not exceed. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** Rows of a table as arrays of cell texts. */
async function rows(page: Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
}

describe('the Classifier page of sluice-classify', { timeout: 240_000 }, () => {
  let browser: Browser;
  let dir = '';
  before(async () => {
    browser = await launchBrowser();
    dir = await mkdtemp(join(tmpdir(), 'sluice-classify-ui-'));
  });
  after(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('shows the images/s, latency percentiles, label counts and errors the classifier reported, live', async () => {
    const imageDir = join(dir, 'images');
    await mkdir(imageDir);
    const pictures = await Promise.all(Array.from({ length: 10 }, (_, i) => renderPicture(i)));
    const broken = await brokenImages();
    for (const f of [...pictures, ...broken]) await writeFile(join(imageDir, f.name), f.bytes);
    const total = pictures.length + broken.length;
    // --once: each image exactly once; slowly enough that results come over several batches.
    const sender = await startImageSender(imageDir, ['--once', '--rate', '6']);
    const resultsPath = join(dir, 'results.jsonl');

    let resolveUrl!: (url: string) => void;
    const uiUrl = new Promise<string>((resolve) => (resolveUrl = resolve));
    const log: string[] = [];
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      const run = runClassifier({
        settings: {
          source: { kind: 'socket', host: '127.0.0.1', port: sender.port },
          partitions: 2,
          model: DEFAULT_MODEL_SPEC,
          batchSize: 4,
          topK: 3,
          backend: 'auto',
          output: { kind: 'jsonl', path: resultsPath },
        },
        conf: { executors: 2, batchDuration: '500ms', blockInterval: '100ms', receiverRestartDelay: '10m' },
        count: total,
        runForMs: 180_000,
        summaryJsonPath: null,
        launchedAt: Date.now(),
        log: (line) => {
          log.push(line);
          const match = /web UI at (http:\/\/\S+)/.exec(line);
          if (match) resolveUrl(match[1]!);
        },
        ui: { port: 0, host: '127.0.0.1' },
      });
      const url = await Promise.race([uiUrl, run.then(() => Promise.reject(new Error(`no web UI:\n${log.join('\n')}`)))]);
      // Opened while the classifier starts: the figures must arrive without a reload.
      await page.goto(`${url}/classifier/`);
      const { summary, failure, ui } = await run;
      try {
        assert.equal(failure, null, log.join('\n'));
        const results = (await readFile(resultsPath, 'utf8'))
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as ResultRecord);
        assert.equal(results.length, total, 'one result per image');
        const ok = results.filter((r) => r.ok);
        const failed = results.filter((r) => !r.ok);
        assert.equal(summary.classified, ok.length);
        assert.equal(summary.errors, failed.length);
        assert.deepEqual(failed.map((r) => r.name).sort(), broken.map((b) => b.name).sort());

        // The last report comes when the run stops; the page polls every second.
        // Broken files can finish after the last good picture: wait for the final figures of both.
        await page
          .waitForFunction(
            `document.querySelector('#cls-classified')?.textContent === '${ok.length}' && document.querySelector('#cls-errors')?.textContent === '${failed.length}'`,
            undefined,
            { timeout: 15_000 },
          )
          .catch(() => undefined);
        assert.equal(await text(page, '#cls-classified'), String(ok.length));
        assert.equal(await text(page, '#cls-errors'), String(failed.length));
        assert.equal(await text(page, '#cls-rate'), summary.images_per_s!.toFixed(1), 'images/s of the summary');
        assert.ok(summary.images_per_s! > 0);

        // Latency percentiles: as the summary says, and as the written results say.
        const latencies = results.map((r) => r.latencyMs);
        for (const [p, key, id] of [[50, 'p50', '#cls-p50'], [90, 'p90', '#cls-p90'], [99, 'p99', '#cls-p99']] as const) {
          assert.equal(summary.latency_ms[key], percentile(latencies, p), `${key} of the summary against the results`);
          assert.equal(await text(page, id), shownMs(summary.latency_ms[key]), key);
        }
        assert.equal(await text(page, '#cls-max'), shownMs(Math.max(...latencies)));
        assert.equal(await text(page, '#cls-startup'), shownMs(summary.startup_ms));

        // Top-1 label counts, counted from the results.
        const labels = new Map<string, number>();
        for (const r of ok) labels.set(r.top![0]!.label, (labels.get(r.top![0]!.label) ?? 0) + 1);
        const shownLabels = new Map((await rows(page, '#cls-labels')).map(([label, n]) => [label!, Number(n)]));
        assert.deepEqual(shownLabels, labels);

        // The images that could not be classified, with their kind and reason.
        const shownErrors = await rows(page, '#cls-recent-errors');
        assert.deepEqual(shownErrors.map(([, name, kind]) => `${name} ${kind}`).sort(), failed.map((r) => `${r.name} ${r.kind}`).sort());
        for (const [, name, , message] of shownErrors) {
          assert.equal(message, failed.find((r) => r.name === name)!.error, `${name}: the reason`);
        }
        assert.deepEqual(pageErrors, [], 'no script errors');
      } finally {
        await ui?.stop();
      }
    } finally {
      await page.close();
      await sender.stop();
    }
  });
});
