import type { StreamingContext } from '@sluice/streaming';
import { demoPort } from './demo-port.js';

export interface SocketSource {
  host: string;
  port: number;
  /** The job's arguments after the source's. */
  rest: string[];
}

/**
 * Where a socket example reads from: `<hostname> <port>`, as Spark's network examples
 * take them, or `--demo`: a built-in server (`startDemo`) that the driver runs and its
 * executors connect to (see demoPort). Refuses anything else with the example's usage.
 */
export async function socketSource(
  ssc: StreamingContext,
  args: string[],
  demo: { name: string; start: () => Promise<number> },
  usage: string,
): Promise<SocketSource> {
  if (args[0] === '--demo') {
    return { host: '127.0.0.1', port: await demoPort(ssc, demo.name, demo.start), rest: args.slice(1) };
  }
  const [host, portText] = args;
  const port = Number(portText);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    const got = args.length === 0 ? 'no arguments' : `got: ${args.join(' ')}`;
    throw new Error(`usage: ${usage}  (${got})`);
  }
  return { host, port, rest: args.slice(2) };
}
