import { UsageError } from './cli-args.js';
import { commands } from './commands/all.js';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'sluice-sender: load generator for Sluice receivers and benchmarks',
    '',
    'usage: sluice-sender <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'sluice-sender <command> --help' for the options of a command.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    console.error(overview());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`sluice-sender: unknown command '${name}'\n\n${overview()}`);
    return 2;
  }
  try {
    await command.run(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`sluice-sender ${name}: ${error.message}\nRun 'sluice-sender ${name} --help' for usage.`);
      return 2;
    }
    console.error(`sluice-sender ${name}: ${(error as Error).message ?? error}`);
    return 1;
  }
}

// Exit explicitly: a command is done when it returns, even if a library (kafkajs) still holds a timer.
process.exit(await main(process.argv.slice(2)));
