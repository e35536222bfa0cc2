/**
 * The web UI in a real browser (Debian's chromium through playwright-core): the numbers
 * the pages show against what the listener bus reported, live updates, a failed batch's
 * error, the history server on the event log of the same run; /metrics parsed as
 * Prometheus text and checked against the bus; bad requests answered 400/404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startHistoryServer, UiServer, UiStore } from '@sluice/ui';
import { syntheticBatch, syntheticRun } from '@sluice/ui/testing';
import { BOOM_MESSAGE } from '../fixtures/ui-job.js';
import { launchBrowser, lineSource, startUiJob } from '../fixtures/ui-helpers.js';
import { waitFor } from './helpers.js';

const intOf = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''));

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

/** Polls the number shown at `selector` until `ok` holds for it. */
async function waitForNumber(page: Page, selector: string, ok: (n: number) => boolean, what: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const n = intOf(await textOf(page, selector));
    if (ok(n)) return n;
    if (Date.now() > deadline) throw new Error(`${what}: the page shows ${n} at ${selector}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('web UI', { timeout: 120_000 }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('the Streaming page shows what the listener bus reported, live, and the history server shows the finished run', async () => {
    const source = await lineSource(20);
    const { app, ui, tally, url, eventLogDir } = await startUiJob(source.port);
    try {
      await waitFor(() => tally.completed.length >= 2, 20_000, 'two batches');
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}/streaming/`);
      await page.waitForSelector('body[data-ready]');
      assert.equal(await textOf(page, '#stat-receivers'), '1 / 1', 'one active receiver');

      // Live: pushes arrive and the completed count grows without reloading.
      const shown = intOf(await textOf(page, '#stat-completed'));
      await waitForNumber(page, '#stat-completed', (n) => n > shown, 'the completed count grows live');
      assert.ok(Number(await page.getAttribute('body', 'data-updates')) > 0, 'live updates applied');

      source.boom();
      await waitFor(() => tally.failed.length === 1, 15_000, 'the failed batch');
      await page.waitForSelector('#completed-batches tr.failed', { timeout: 10_000 });
      assert.match(await textOf(page, '#completed-batches tr.failed'), new RegExp(BOOM_MESSAGE));
      await waitFor(() => tally.completed.length >= tally.failed.length + 4, 10_000, 'a few more batches');

      // Stop the job: the last push must bring the page to the bus's final figures.
      source.pause();
      await app.ssc.stop({ graceful: true });
      await ui.finish();
      const completed = tally.completed.length;
      await waitForNumber(page, '#stat-completed', (n) => n === completed, `the page shows the ${completed} completed batches`);
      assert.equal(intOf(await textOf(page, '#stat-records')), tally.records, 'records as the bus reported');
      assert.equal(intOf(await textOf(page, '#stat-failed')), 1, 'one failed batch');
      assert.ok(tally.records > 0);

      // The failed batch's page: the error with its message and stack, and the failed task.
      const failedTime = tally.failed[0]!.batchTime;
      await page.goto(`${url}/streaming/batch/?id=${failedTime}`);
      await page.waitForSelector('body[data-ready]');
      assert.match(await textOf(page, '#output-ops .op-error'), new RegExp(BOOM_MESSAGE));
      assert.match(await textOf(page, '#output-ops .op-stack'), /ui-job\.ts/);
      assert.equal(intOf(await textOf(page, '#batch-records')), tally.failed[0]!.numRecords);
      assert.match(await textOf(page, '#tasks'), /FAILED/);

      // Receivers and executors pages.
      await page.goto(`${url}/receivers/`);
      await page.waitForSelector('#receivers');
      assert.match(await textOf(page, '#receivers'), /SocketReceiver/);
      await page.goto(`${url}/executors/`);
      await page.waitForSelector('#executors');
      assert.equal(await page.locator('#executors tbody tr').count(), 3, 'driver and two executors');
      assert.deepEqual(errors, [], 'no script errors');
      await ui.stop();

      // The history server replays the event log into the same pages.
      const history = await startHistoryServer({ dir: eventLogDir, port: 0, log: () => {} });
      try {
        await page.goto(`${history.url}/streaming/`);
        await page.waitForSelector('body[data-ready]');
        assert.equal(intOf(await textOf(page, '#stat-completed')), completed);
        assert.equal(intOf(await textOf(page, '#stat-records')), tally.records);
        assert.match(await textOf(page, '#completed-batches tr.failed'), new RegExp(BOOM_MESSAGE));
        await page.goto(`${history.url}/streaming/batch/?id=${failedTime}`);
        await page.waitForSelector('body[data-ready]');
        assert.match(await textOf(page, '#output-ops .op-error'), new RegExp(BOOM_MESSAGE));
      } finally {
        await history.server.stop();
      }
      await page.close();
    } finally {
      source.close();
      if (app.ssc.state !== 'stopped') await app.ssc.stop();
      await ui.stop();
    }
  });

  test('/metrics agrees with the listener bus, and bad requests get 400 or 404', async () => {
    const source = await lineSource(10);
    const { app, ui, tally, url, api } = await startUiJob(source.port);
    try {
      await waitFor(() => tally.completed.length >= 3, 20_000, 'three batches');
      source.boom();
      await waitFor(() => tally.failed.length === 1, 15_000, 'the failed batch');
      source.pause();
      await app.ssc.stop({ graceful: true });
      await ui.finish();

      const res = await fetch(`${url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const families = parsePrometheusTextFormat(await res.text());
      const family = (name: string) => {
        const f = families.find((x) => x.name === name);
        assert.ok(f, `metric ${name} is exposed`);
        return f;
      };
      const value = (name: string, labels: Record<string, string> = {}) =>
        family(name)
          .metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
          .reduce((s, m) => s + Number(m.value), 0);
      assert.equal(family('sluice_batches_completed_total').type, 'COUNTER');
      assert.equal(value('sluice_batches_completed_total'), tally.completed.length);
      assert.equal(value('sluice_batches_failed_total'), 1);
      assert.equal(value('sluice_records_processed_total'), tally.records);
      const received = family('sluice_records_received_total').metrics;
      assert.equal(received.length, 1, 'one receiver');
      assert.match(received[0]!.labels!['receiver']!, /SocketReceiver/);
      assert.equal(Number(received[0]!.value), tally.records);
      assert.equal(value('sluice_tasks_total'), tally.tasks);
      // The task that threw, plus any sibling still running when its job failed (killed with it).
      assert.ok(tally.failedTasks >= 1, 'the bus reported the failed task');
      assert.equal(value('sluice_tasks_total', { status: 'failed' }), tally.failedTasks);
      const processing = family('sluice_batch_processing_seconds');
      assert.equal(processing.type, 'HISTOGRAM');
      const hist = processing.metrics[0]!;
      assert.equal(Number(hist.count), tally.completed.length);
      const sumSeconds = tally.completed.reduce((s, b) => s + (b.processingDelay ?? 0), 0) / 1000;
      assert.ok(Math.abs(Number(hist.sum) - sumSeconds) < 1e-6, `processing seconds ${hist.sum} vs ${sumSeconds}`);

      // The REST API agrees too.
      const stats = (await (await fetch(`${api}/streaming/statistics`)).json()) as Record<string, number>;
      assert.equal(stats['numTotalCompletedBatches'], tally.completed.length);
      assert.equal(stats['numProcessedRecords'], tally.records);
      const failed = (await (await fetch(`${api}/streaming/batches/${tally.failed[0]!.batchTime}`)).json()) as { firstFailureReason: string };
      assert.match(failed.firstFailureReason, new RegExp(BOOM_MESSAGE));

      const expect = async (path: string, status: number) => {
        const r = await fetch(url + path);
        assert.equal(r.status, status, `${path} answers ${status}`);
        await r.arrayBuffer();
      };
      await expect(`/api/v1/applications/${ui.appId}/streaming/batches/12345`, 404);
      await expect(`/api/v1/applications/${ui.appId}/streaming/batches/not-a-time`, 400);
      await expect(`/api/v1/applications/${ui.appId}/streaming/batches?offset=-1`, 400);
      await expect(`/api/v1/applications/${ui.appId}/streaming/batches?status=DONE`, 400);
      await expect(`/api/v1/applications/${ui.appId}/streaming/receivers/x`, 400);
      await expect(`/api/v1/applications/${ui.appId}/streaming/receivers/99`, 404);
      await expect(`/api/v1/applications/${ui.appId}/streaming/nothing`, 404);
      await expect(`/api/v1/applications/other-app/streaming/statistics`, 404);
      await expect('/api/v1/what', 404);
      await expect('/%E0%A4%A', 400);
      await expect('/static/..%2f..%2fpackage.json', 400);
      await expect('/no/such/page', 404);
      const post = await fetch(`${url}/streaming/`, { method: 'POST', body: 'x' });
      assert.equal(post.status, 405);
      // Still serving after all that.
      await expect('/streaming/', 200);
      await expect(`/api/v1/applications/${ui.appId}/streaming/statistics`, 200);
    } finally {
      source.close();
      if (app.ssc.state !== 'stopped') await app.ssc.stop();
      await ui.stop();
    }
  });

  test('with 10,000 batches retained the Streaming page loads, pages its table, and keeps up with new batches', async () => {
    const store = new UiStore();
    for (const e of syntheticRun({ batches: 12_000 })) store.apply(e);
    const server = new UiServer(store, { port: 0 });
    await server.start();
    const page = await browser.newPage();
    try {
      const t0 = Date.now();
      await page.goto(`${server.url}/streaming/`);
      await page.waitForSelector('body[data-ready]');
      const loadMs = Date.now() - t0;
      assert.equal(await textOf(page, '#n-retained'), '10,000');
      assert.equal(await textOf(page, '#stat-completed'), '12,000');
      assert.equal(await page.locator('#completed-batches tbody tr').count(), 50, 'one page of the table');
      await page.click('#older');
      await page.waitForFunction('document.querySelector("#page-info").textContent.startsWith("batches 51-")');

      // New batches keep arriving: each push must reach the page promptly.
      const t1 = Date.now();
      let i = 12_000;
      const start = 1_700_000_000_000;
      for (; i < 12_020; i++) {
        for (const e of syntheticBatch(start + (i + 1) * 1000, i)) store.apply(e);
        await new Promise((r) => setTimeout(r, 50));
      }
      await waitForNumber(page, '#stat-completed', (n) => n === 12_020, 'the 20 new batches');
      console.log(`# 10,000 retained batches: page ready in ${loadMs} ms; 20 new batches shown ${Date.now() - t1} ms after the first`);
    } finally {
      await page.close();
      await server.stop();
    }
  });
});
