/**
 * Takes the Kafka and Classifier screenshots of docs/ui.md the way a user would get
 * there, through the command-line tools only: a local broker (`sluice-kafka start`), a
 * directory of photos produced to a topic (`sluice-sender kafka`), and `sluice-classify`
 * reading that backlog from the earliest offset with its web UI on. The Kafka page is
 * photographed while the backlog is worked off (so it shows lag), the Classifier page
 * once every file is classified or reported as an error.
 *
 *   node --import tsx e2e/src/ui-screenshots-classifier.ts --images DIR [--out docs/images/ui]
 *
 * DIR should hold a few dozen photos (and, to show the error table, a broken file or two).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../fixtures/ui-helpers.js';
import { setTimeout as sleep } from 'node:timers/promises';

const { values } = parseArgs({ options: { images: { type: 'string' }, out: { type: 'string', default: 'docs/images/ui' } } });
if (!values.images) {
  console.error('usage: ui-screenshots-classifier.ts --images DIR [--out DIR]');
  process.exit(2);
}
const imageDir = resolve(values.images);
const imageCount = readdirSync(imageDir).length;
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

const children: ChildProcess[] = [];
/** Starts a tool; resolves with the first match of `pattern` in what it prints. */
function startTool(name: string, args: string[], pattern: RegExp): { child: ChildProcess; match: Promise<RegExpMatchArray> } {
  const child = spawn(bin(name), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const match = new Promise<RegExpMatchArray>((resolveMatch, reject) => {
    let seen = '';
    const look = (chunk: Buffer) => {
      if (process.env.SHOW_OUTPUT) process.stderr.write(chunk);
      seen += chunk.toString();
      const found = seen.match(pattern);
      if (found) resolveMatch(found);
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before printing ${pattern}:\n${seen.slice(-2000)}`)));
  });
  return { child, match };
}

/** Runs a tool to its end; rejects with its output if it fails. */
function runTool(name: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(bin(name), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`${name} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

try {
  const broker = startTool('sluice-kafka', ['start'], /KAFKA_BROKERS=(\S+)/);
  const brokers = (await broker.match)[1]!;
  console.log(`broker at ${brokers}`);
  const topic = `photos-${Date.now()}`;
  await runTool('sluice-sender', ['kafka', '--brokers', brokers, '--topic', topic, '--dir', imageDir]);
  console.log(`${imageCount} files produced to ${topic}`);

  // A modest rate per partition, so that the Kafka page shows lag for a while.
  const classifier = startTool(
    'sluice-classify',
    ['--source', `kafka://${brokers}/${topic}`, '--starting-offsets', 'earliest', '--max-rate-per-partition', '4', '--output', 'jsonl:/dev/null', '--ui-port', '0'],
    /web UI at (http:\/\/\S+)/,
  );
  const url = (await classifier.match)[1]!;
  console.log(`classifier UI at ${url}`);

  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const shot = async (path: string, name: string, until: string) => {
    await page.goto(url + path);
    await page.waitForSelector('body[data-ready]');
    await page.waitForFunction(until, undefined, { timeout: 300_000, polling: 500 });
    await sleep(1200);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    console.log(`${name}.png  ${url}${path}`);
  };
  // The Kafka page with results already flowing and a backlog still waiting.
  await shot('/kafka/', 'kafka', `(() => { const t = document.querySelector('#kafka'); return !!t && [...t.querySelectorAll('tbody tr')].some((r) => Number((r.children[5]?.textContent ?? '').replace(/[^0-9]/g, '')) > 0); })()`);
  // The Classifier page once every file is classified or reported (its figures are live).
  const most = imageCount;
  await shot('/classifier/', 'classifier', `(() => { const n = (id) => Number((document.getElementById(id)?.textContent ?? '').replace(/[^0-9]/g, '')); return n('cls-classified') + n('cls-errors') >= ${most}; })()`);
  await browser.close();
} finally {
  for (const child of children.reverse()) child.kill('SIGTERM');
  await sleep(2000);
}
