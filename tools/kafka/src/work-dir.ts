// The layout of a broker's working directory: its configuration, its log file and its data.
import { join } from 'node:path';

export interface WorkDirLayout {
  root: string;
  serverProperties: string;
  log4jProperties: string;
  /** The broker's stdout and stderr: Kafka's log lines and anything the JVM prints on a crash. */
  logFile: string;
  /** Kafka's log.dirs: partitions and the KRaft metadata log. */
  dataDir: string;
}

export function workDirLayout(root: string): WorkDirLayout {
  return {
    root,
    serverProperties: join(root, 'server.properties'),
    log4jProperties: join(root, 'log4j.properties'),
    logFile: join(root, 'broker.log'),
    dataDir: join(root, 'kraft-data'),
  };
}
