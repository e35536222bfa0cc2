/**
 * The web UI's Kafka page in a real browser (Debian's chromium through playwright-core),
 * on a direct stream reading the real broker the test runner starts: while a rate-limited
 * backlog is worked off the page shows it live (lag above zero, then falling), and once
 * the job stops it shows, per partition, exactly the offsets, log end, lag, rate and
 * records that the listener bus reported in the batches' input metadata.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { BatchInfo } from '@sluice/streaming';
import { LiveUi } from '@sluice/ui';
import * as jobs from '../fixtures/kafka-jobs.js';
import { produceValues, range, uniqueName } from '../fixtures/kafka-helpers.js';
import { kafkaSuite } from '../fixtures/kafka-suite.js';
import { launchBrowser } from '../fixtures/ui-helpers.js';
import { start, waitFor } from './helpers.js';

const job = fileURLToPath(new URL('../fixtures/kafka-jobs.ts', import.meta.url));
const BATCH_MS = 500;
const conf = { executors: 2, batchDuration: `${BATCH_MS}ms` };

interface RangeMeta {
  topic: string;
  partition: number;
  fromOffset: number;
  untilOffset: number;
  logEndOffset?: number;
}

/** The Kafka ranges a completed batch reported to the listener bus. */
function rangesOf(info: BatchInfo): RangeMeta[] {
  return Object.values(info.streamIdToInputInfo).flatMap((input) => ((input.metadata as { offsets?: RangeMeta[] } | undefined)?.offsets ?? []));
}

/** The Kafka table as { 'topic/partition': cells by column title }. */
async function kafkaTable(page: Page): Promise<Map<string, Record<string, string>>> {
  const table = await page.$$eval('#kafka', (tables) => {
    const t = tables[0];
    if (!t) return [];
    const heads = [...t.querySelectorAll('thead th')].map((th) => (th.textContent ?? '').trim());
    return [...t.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim());
      return Object.fromEntries(heads.map((h, i) => [h, cells[i] ?? '']));
    });
  });
  return new Map(table.map((row) => [`${row['Topic']}/${row['Partition']}`, row]));
}

const int = (text: string | undefined) => Number((text ?? '').replace(/[^0-9]/g, ''));

describe('the Kafka page of the web UI', { timeout: 180_000 }, () => {
  const kafka = kafkaSuite();
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  test('shows offsets, lag and rate per partition as the listener bus reported them, live', async () => {
    const { k, producer } = kafka;
    jobs.resetCollected();
    const topic = uniqueName('ui-kafka');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    // A backlog of 300 records before the stream starts, read at 40 records/s per
    // partition: 20 per partition per batch, several batches with lag.
    await produceValues(producer, topic, range('v', 0, 300));
    const completed: BatchInfo[] = [];
    let ui!: LiveUi;
    const { ssc } = await start({
      job,
      args: ['count', k.brokers, topic, uniqueName('ui-group'), '40'],
      conf,
      log: () => {},
      beforeStart: async (context) => {
        context.addStreamingListener({ onBatchCompleted: ({ batchInfo }) => void completed.push(batchInfo) });
        ui = new LiveUi(context, { port: 0 });
        await ui.start();
      },
    });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await page.goto(`${ui.server!.url}/kafka/`);
      // Live: the backlog shows as lag while it is worked off (the page polls every second).
      await page.waitForSelector('#kafka tbody tr', { timeout: 30_000 });
      let lagging: Record<string, string> | undefined;
      for (const deadline = Date.now() + 20_000; !lagging && Date.now() < deadline; ) {
        lagging = [...(await kafkaTable(page)).values()].find((r) => int(r['Lag']) > 0);
        if (!lagging) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(lagging, 'the backlog shows as lag on the page while it is read');
      // Meanwhile a batch takes at most 40 records/s x 0.5 s from a partition.
      const liveRate = int(lagging['Rate']);
      assert.ok(liveRate > 0 && liveRate <= 40, `rate while lagging: ${lagging['Rate']}`);
      await waitFor(() => jobs.batches.reduce((n, b) => n + b.values.length, 0) >= 300, 60_000, 'the backlog read');
      await ssc.stop({ graceful: true });
      await ui.finish();

      // What the bus reported: per partition, the newest batch's range and the records of all batches.
      const expected = new Map<string, { from: number; until: number; logEnd: number; records: number }>();
      for (const info of completed) {
        for (const r of rangesOf(info)) {
          const key = `${r.topic}/${r.partition}`;
          const records = (expected.get(key)?.records ?? 0) + (r.untilOffset - r.fromOffset);
          expected.set(key, { from: r.fromOffset, until: r.untilOffset, logEnd: r.logEndOffset ?? r.untilOffset, records });
        }
      }
      assert.equal(expected.size, 2, 'two partitions reported');
      assert.equal([...expected.values()].reduce((n, e) => n + e.records, 0), 300);

      await page.waitForFunction(`document.querySelector('#kafka')?.textContent.includes('${topic}')`);
      // The final figures arrive with the next poll.
      let shown = await kafkaTable(page);
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
        shown = await kafkaTable(page);
        const settled = ([key, e]: [string, { from: number; until: number; records: number }]) => {
          const row = shown.get(key);
          return int(row?.['Records Read']) === e.records && int(row?.['From Offset']) === e.from && int(row?.['Until Offset']) === e.until;
        };
        if ([...expected].every(settled)) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepEqual([...shown.keys()].sort(), [...expected.keys()].sort());
      for (const [key, e] of expected) {
        const row = shown.get(key)!;
        assert.equal(int(row['From Offset']), e.from, `${key} from`);
        assert.equal(int(row['Until Offset']), e.until, `${key} until`);
        assert.equal(int(row['Log End']), e.logEnd, `${key} log end`);
        assert.equal(int(row['Lag']), Math.max(0, e.logEnd - e.until), `${key} lag`);
        assert.equal(int(row['Records Read']), e.records, `${key} records`);
        // Records per second of the newest batch, as the page formats it (records/s).
        const rate = (e.until - e.from) / (BATCH_MS / 1000);
        assert.equal(row['Rate'], `${rate.toLocaleString('en-US', { maximumFractionDigits: rate < 10 ? 2 : 0 })} records/s`, `${key} rate`);
      }
      // The rate limit shows: no batch took more than 20 records from a partition.
      for (const info of completed) for (const r of rangesOf(info)) assert.ok(r.untilOffset - r.fromOffset <= 20, 'maxRatePerPartition x batch');
      assert.deepEqual(pageErrors, [], 'no script errors');
    } finally {
      await page.close();
      if (ssc.state !== 'stopped') await ssc.stop();
      await ui?.stop();
    }
  });
});
