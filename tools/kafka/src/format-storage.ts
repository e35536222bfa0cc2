// KRaft refuses to start on a log directory that has not been formatted with a cluster id;
// this runs Kafka's storage tool once per data directory to do that.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { javaCommand, jvmArgs, kafkaClasspath } from './java.js';
import { lastLines, runCommand } from './run-command.js';

export interface FormatOptions {
  libsDir: string;
  serverProperties: string;
  log4jConfig: string;
  /** The broker's log.dirs; formatting writes meta.properties into it. */
  logDir: string;
  clusterId: string;
}

/** Returns false when the directory was already formatted (a reused data dir keeps its cluster id). */
export async function formatStorageIfNeeded(options: FormatOptions): Promise<boolean> {
  // Checked here rather than with --ignore-formatted: the tool would still reject the
  // directory because its cluster id differs from the freshly generated one.
  if (existsSync(join(options.logDir, 'meta.properties'))) return false;
  const args = [
    ...jvmArgs({ heap: '256m', log4jConfig: options.log4jConfig }),
    // The tool runs for a moment only: skip the JIT's optimising tier to start faster.
    '-XX:TieredStopAtLevel=1',
    '-cp',
    kafkaClasspath(options.libsDir),
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    options.clusterId,
    '--config',
    options.serverProperties,
  ];
  const result = await runCommand(javaCommand(), args);
  if (result.code !== 0) {
    throw new Error(
      `formatting the Kafka log directory failed (exit ${result.code}); ` +
        `command: java ... kafka.tools.StorageTool format --config ${options.serverProperties}\n` +
        lastLines(result.output, 30),
    );
  }
  return true;
}

