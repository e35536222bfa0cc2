import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { LiveUi } from '@sluice/ui';
import { measureEngine } from './ingest-bench';

const USAGE = `Usage: npm run bench -- ui [--size BYTES] [--seconds S] [--rounds N] [--placement driver|executor] [--json]

What the web UI and /metrics cost: the ingest benchmark (length-prefixed messages of
--size bytes over TCP, mapped to their lengths and summed) run without the UI and with
it, a headless Chromium (Debian's chromium) open on the Streaming page and /metrics
scraped every second, alternated A B B A for --rounds rounds (default 2).
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
  const options = { size: Number(values.size), seconds: Number(values.seconds), transport: 'unix' as const, blockRecords: 1000 };
  const conf = { executors: 2, batchDuration: '1s', blockInterval: '200ms', receiverPlacement: values.placement };
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  const page: Page = await browser.newPage();
  const runs: { ui: boolean; msgsPerS: number; load: number }[] = [];
  try {
    const order = Array.from({ length: Number(values.rounds) }, () => [false, true, true, false]).flat();
    for (const withUi of order) {
      let ui: LiveUi | null = null;
      let scrape: NodeJS.Timeout | null = null;
      const load = loadavg()[0]!;
      const r = await measureEngine('socket', options, conf, async (ssc) => {
        if (!withUi) return;
        ui = new LiveUi(ssc, { port: 0 });
        const url = (await ui.start())!;
        await page.goto(`${url}/streaming/`);
        await page.waitForSelector('body[data-ready]');
        scrape = setInterval(() => void fetch(`${url}/metrics`).then((res) => res.text()).catch(() => {}), 1000);
      });
      if (scrape) clearInterval(scrape);
      if (withUi) await page.goto('about:blank');
      await (ui as LiveUi | null)?.stop();
      const msgsPerS = r.messages / r.seconds;
      runs.push({ ui: withUi, msgsPerS, load });
      if (!values.json) process.stdout.write(`${withUi ? 'with UI   ' : 'without UI'}  ${Math.round(msgsPerS)} msg/s  (load ${load.toFixed(1)})\n`);
    }
  } finally {
    await browser.close();
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const off = mean(runs.filter((r) => !r.ui).map((r) => r.msgsPerS));
  const on = mean(runs.filter((r) => r.ui).map((r) => r.msgsPerS));
  const result = {
    bench: 'ui',
    size: options.size,
    seconds: options.seconds,
    placement: values.placement,
    without_ui_msgs_per_s: Math.round(off),
    with_ui_msgs_per_s: Math.round(on),
    ratio: Number((on / off).toFixed(3)),
    runs: runs.map((r) => ({ ui: r.ui, msgs_per_s: Math.round(r.msgsPerS), load1: Number(r.load.toFixed(1)) })),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`mean without UI ${result.without_ui_msgs_per_s} msg/s, with UI ${result.with_ui_msgs_per_s} msg/s: ratio ${result.ratio}\n`);
}
