import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from './cli-args.js';
import { commands } from './commands/all.js';
import { runSender } from './sender-process.js';

describe('sluice-sender command line', { timeout: 30_000 }, () => {
  test('--help lists the commands and exits 0; a command --help prints its usage', async () => {
    const [overview, images] = await Promise.all([runSender(['--help']), runSender(['images', '--help'])]);
    assert.equal(overview.code, 0);
    for (const command of commands) assert.match(overview.stdout, new RegExp(`^  ${command.name} `, 'm'));
    assert.equal(images.code, 0, images.stderr);
    assert.equal(images.stdout.trim(), commands.find((c) => c.name === 'images')!.usage);
  });

  test('every command has a usage text that starts with its synopsis', () => {
    for (const command of commands) assert.match(command.usage, new RegExp(`^usage: sluice-sender ${command.name} `));
  });

  test('mistakes exit with status 2 and say what is wrong', async () => {
    const exits = await Promise.all([runSender([]), runSender(['nonsense']), runSender(['images', '--dir', '.', '--count', '0'])]);
    assert.deepEqual(exits.map((e) => e.code), [2, 2, 2]);
    assert.match(exits[0].stderr, /usage: sluice-sender <command>/);
    assert.match(exits[1].stderr, /unknown command 'nonsense'/);
    assert.match(exits[2].stderr, /--count must be a whole number >= 1.*\nRun 'sluice-sender images --help'/);
  });

  test('bad arguments are rejected before anything is opened', async () => {
    const cases: [string, string[], RegExp][] = [
      ['images', [], /--dir is required/],
      ['images', ['--dir', '.', '--frobnicate'], /Unknown option '--frobnicate'/],
      ['messages', ['--size=-3'], /--size must be a whole number >= 0/],
      ['messages', ['--size', '10', '--format', 'xml'], /--format must be one of length-prefixed, newline/],
      ['text', ['--listen', 'localhost'], /--listen must be host:port/],
      ['text', ['stray'], /Unexpected argument 'stray'/],
      ['device', ['--path', 'x', '--garbage', '2'], /--garbage must be a probability/],
      ['device', ['--path', 'x', '--size', '1', '--dir', '.'], /--size or --dir, not both/],
      ['device', ['--path', 'x', '--once'], /--once applies to --mode unix only/],
      ['kafka', ['--brokers', 'b:9092', '--topic', 't'], /give one of --dir, --size and --text/],
    ];
    for (const [name, args, message] of cases) {
      const command = commands.find((c) => c.name === name)!;
      await assert.rejects(command.run(args), (error) => error instanceof UsageError && message.test(error.message), `${name} ${args.join(' ')}`);
    }
  });
});
