// The broker JVM as a child process: launched detached into its log file, watched for
// exit, and terminated with a signal and a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { javaCommand, jvmArgs, kafkaClasspath } from './java.js';
import type { WorkDirLayout } from './work-dir.js';

/** Kafka's default heap is 1 GiB; a development broker with a handful of topics needs far less. */
const HEAP = '512m';

export interface KafkaProcess {
  child: ChildProcess;
  /** Resolves once the JVM has exited, or failed to start at all. */
  exited: Promise<void>;
  running(): boolean;
  /** Set when the JVM could not even be spawned (no java, for example). */
  spawnError(): Error | undefined;
  /** Sends the signal and waits up to timeoutMs; true if the JVM is gone. */
  terminate(signal: NodeJS.Signals, timeoutMs: number): Promise<boolean>;
}

export function launchKafka(libsDir: string, layout: WorkDirLayout): KafkaProcess {
  // The JVM writes straight into the log file: no pipe for Node to drain, and the file
  // still catches the last words of a JVM that crashes.
  const out = openSync(layout.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      javaCommand(),
      [
        ...jvmArgs({ heap: HEAP, log4jConfig: layout.log4jProperties }),
        '-cp',
        kafkaClasspath(libsDir),
        'kafka.Kafka',
        layout.serverProperties,
      ],
      // Its own process group: a Ctrl-C in the terminal reaches Node only, which then stops
      // the broker itself, instead of both racing to shut it down.
      { cwd: layout.root, stdio: ['ignore', out, out], detached: true },
    );
  } finally {
    closeSync(out);
  }
  // The broker alone must not keep Node alive; reap-on-exit kills it when Node leaves.
  child.unref();

  let running = true;
  let error: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => {
      running = false;
      resolve();
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      running = false;
      error =
        err.code === 'ENOENT' ? new Error(`"${javaCommand()}" was not found; install a JDK 17+ or set JAVA_HOME`) : err;
      resolve();
    });
  });

  const terminate = async (signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> => {
    if (!running) return true;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([exited.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  return { child, exited, running: () => running, spawnError: () => error, terminate };
}
