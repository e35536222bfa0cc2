// How the Kafka JVM is launched: which java, which classpath, which flags.
import { join } from 'node:path';

/** $JAVA_HOME/bin/java when JAVA_HOME is set (as Kafka's own scripts do), else java on PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** The JVM expands a trailing `*` to every jar in the directory; no need to list 57 jars. */
export function kafkaClasspath(libsDir: string): string {
  return join(libsDir, '*');
}

export interface JvmOptions {
  heap: string;
  log4jConfig: string;
}

export function jvmArgs(options: JvmOptions): string[] {
  return [
    `-Xmx${options.heap}`,
    '-Xms64m',
    // Kafka's recommended collector settings (kafka-run-class.sh), minus the production sizing.
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${options.log4jConfig}`,
  ];
}
