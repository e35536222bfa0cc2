import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StreamingContext } from '@sluice/streaming';
import { LiveUi } from '@sluice/ui';
import { measureEngine } from './ingest-bench.js';
import { measureWordCount } from './wordcount-measure.js';
import { commandOf, cpuSecondsBetween, processTreeCpu } from './process-tree-cpu.js';

/** CPU seconds so far of the browser's processes (Chromium's, among this process's descendants). */
function browserCpu(): Map<number, number> {
  return new Map([...processTreeCpu()].filter(([pid]) => /chrom/i.test(commandOf(pid))));
}

const USAGE = `Usage: npm run bench -- ui [--workload ingest|wordcount] [--size BYTES] [--seconds S]
                         [--lines N] [--rounds N] [--placement driver|executor] [--json]

What the web UI and /metrics cost: a workload run without the UI and with it, a headless
Chromium (Debian's chromium) open on the Streaming page and /metrics scraped every
second, alternated A B B A for --rounds rounds (default 2). Besides the rate, each run
prints the CPU time the whole process tree (driver, executors, Chromium) spent per
record: on a machine whose cores the job keeps busy, the UI's share of that time is what
it takes from throughput, and it varies far less from run to run than a rate. Workloads:
  ingest     (default) the ingest benchmark: length-prefixed messages of --size bytes
             over TCP for --seconds, mapped to their lengths and summed
  wordcount  the network word count: --lines lines (default 1000000) of 10 words over
             TCP, split, counted with reduceByKey per batch (every word's total checked)
`;

function chromiumPath(): string {
  const found = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium'].find((p) => p && existsSync(p));
  if (!found) throw new Error('no Chromium: apt-get install chromium, or set CHROMIUM_PATH');
  return found;
}

export async function uiBench(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workload: { type: 'string', default: 'ingest' },
      lines: { type: 'string', default: '1000000' },
      size: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '2' },
      placement: { type: 'string', default: 'driver' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const workload = values.workload;
  if (workload !== 'ingest' && workload !== 'wordcount') throw new Error(`--workload must be ingest or wordcount, not ${workload}`);
  const lines = Number(values.lines);
  const options = { size: Number(values.size), seconds: Number(values.seconds), transport: 'unix' as const, blockRecords: 1000 };
  const conf = { executors: 2, batchDuration: '1s', blockInterval: '200ms', receiverPlacement: values.placement };
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  const page: Page = await browser.newPage();
  // Chromium's start-up work (its helper processes, the first page) must not land in the first run.
  await page.goto('about:blank');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const runs: { ui: boolean; perS: number; cpuUs: number; browserUs: number; load: number }[] = [];
  const unit = workload === 'ingest' ? 'msg/s' : 'lines/s';
  try {
    const order = Array.from({ length: Number(values.rounds) }, () => [false, true, true, false]).flat();
    for (const withUi of order) {
      let ui: LiveUi | null = null;
      let scrape: NodeJS.Timeout | null = null;
      const load = loadavg()[0]!;
      const attachUi = async (ssc: StreamingContext): Promise<void> => {
        if (!withUi) return;
        ui = new LiveUi(ssc, { port: 0 });
        const url = (await ui.start())!;
        await page.goto(`${url}/streaming/`);
        await page.waitForSelector('body[data-ready]');
        scrape = setInterval(() => void fetch(`${url}/metrics`).then((res) => res.text()).catch(() => {}), 1000);
      };
      let perS: number;
      let cpuUs: number;
      let records: number;
      const browserBefore = browserCpu();
      if (workload === 'ingest') {
        const r = await measureEngine('socket', options, conf, attachUi);
        perS = r.messages / r.seconds;
        cpuUs = (r.cpuSeconds * 1e6) / r.messages;
        records = r.messages;
      } else {
        const r = await measureWordCount(lines, conf, attachUi);
        perS = r.lines / r.seconds;
        cpuUs = (r.cpuSeconds * 1e6) / r.lines;
        records = r.lines;
      }
      // The browser over the whole run (its page is loaded before the context starts): the part of the UI's cost that runs outside the driver.
      const browserUs = (cpuSecondsBetween(browserBefore, browserCpu()) * 1e6) / records;
      if (scrape) clearInterval(scrape);
      if (withUi) await page.goto('about:blank');
      await (ui as LiveUi | null)?.stop();
      runs.push({ ui: withUi, perS, cpuUs, browserUs, load });
      if (!values.json) {
        process.stdout.write(`${withUi ? 'with UI   ' : 'without UI'}  ${Math.round(perS)} ${unit}  ${cpuUs.toFixed(3)} CPU µs/record (browser ${browserUs.toFixed(3)})  (load ${load.toFixed(1)})\n`);
      }
    }
  } finally {
    await browser.close();
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const off = mean(runs.filter((r) => !r.ui).map((r) => r.perS));
  const on = mean(runs.filter((r) => r.ui).map((r) => r.perS));
  const cpuOff = mean(runs.filter((r) => !r.ui).map((r) => r.cpuUs));
  const cpuOn = mean(runs.filter((r) => r.ui).map((r) => r.cpuUs));
  const browserOn = mean(runs.filter((r) => r.ui).map((r) => r.browserUs));
  const result = {
    bench: 'ui',
    workload,
    unit,
    ...(workload === 'ingest' ? { size: options.size, seconds: options.seconds } : { lines }),
    placement: values.placement,
    without_ui_per_s: Math.round(off),
    with_ui_per_s: Math.round(on),
    ratio: Number((on / off).toFixed(3)),
    without_ui_cpu_us_per_record: Number(cpuOff.toFixed(3)),
    with_ui_cpu_us_per_record: Number(cpuOn.toFixed(3)),
    cpu_ratio: Number((cpuOn / cpuOff).toFixed(3)),
    with_ui_browser_cpu_us_per_record: Number(browserOn.toFixed(3)),
    runs: runs.map((r) => ({ ui: r.ui, per_s: Math.round(r.perS), cpu_us_per_record: Number(r.cpuUs.toFixed(3)), browser_cpu_us_per_record: Number(r.browserUs.toFixed(3)), load1: Number(r.load.toFixed(1)) })),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`mean without UI ${result.without_ui_per_s} ${unit}, with UI ${result.with_ui_per_s} ${unit}: ratio ${result.ratio}\n`);
    process.stdout.write(`CPU per record without UI ${result.without_ui_cpu_us_per_record} µs, with UI ${result.with_ui_cpu_us_per_record} µs (of which the browser ${result.with_ui_browser_cpu_us_per_record} µs): ratio ${result.cpu_ratio}\n`);
  }
}
