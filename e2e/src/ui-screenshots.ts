/**
 * Takes the screenshots of docs/ui.md: runs the UI test job for a while (one batch
 * fails on purpose), photographs each page of the live UI in headless Chromium, then
 * the history server's Streaming page for the same run.
 *
 *   node --import tsx e2e/src/ui-screenshots.ts docs/images/ui
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHistoryServer } from '@sluice/ui';
import { launchBrowser, lineSource, startUiJob } from '../fixtures/ui-helpers.js';
import { sleep } from './helpers.js';

const out = resolve(process.argv[2] ?? 'docs/images/ui');
mkdirSync(out, { recursive: true });
const source = await lineSource(40);
const { app, ui, tally, url, eventLogDir } = await startUiJob(source.port);
await sleep(8000);
source.boom();
await sleep(8000);
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
const shot = async (path: string, name: string) => {
  await page.goto(url + path);
  await page.waitForSelector('body[data-ready]');
  await sleep(1200);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  console.log(`${name}.png  ${url}${path}`);
};
await shot('/streaming/', 'streaming');
const failed = tally.failed[0];
if (failed) await shot(`/streaming/batch/?id=${failed.batchTime}`, 'batch-failed');
const ok = tally.completed.filter((b) => b.numRecords > 0 && !tally.failed.includes(b)).at(-1);
if (ok) await shot(`/streaming/batch/?id=${ok.batchTime}`, 'batch');
await shot('/receivers/', 'receivers');
await shot('/executors/', 'executors');
await shot('/environment/', 'environment');
source.close();
await app.ssc.stop({ graceful: true });
await ui.stop();
const history = await startHistoryServer({ dir: eventLogDir, port: 0, log: () => {} });
await page.goto(history.url + '/streaming/');
await page.waitForSelector('body[data-ready]');
await sleep(800);
await page.screenshot({ path: join(out, 'history.png'), fullPage: true });
console.log('history.png');
await history.server.stop();
await browser.close();
