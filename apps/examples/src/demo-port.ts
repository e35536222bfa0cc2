import type { StreamingContext } from '@sluice/streaming';

/**
 * The port of an example's built-in demo server, the same in the driver and in its
 * executors. The driver starts the server (`start`) and gives its port to every executor
 * as an environment variable (`setExecutorEnv`: executors may be launched before the
 * driver runs the job, so they cannot inherit it); an executor rebuilding the graph reads
 * it there. A receiver placed on an executor (`--receiver-placement executor`) is built
 * from the executor's graph, so it must connect to the driver's server, not to a port of
 * its own. (The demo servers listen on 127.0.0.1: the demos need executors on the
 * driver's host, as `sluice submit` starts them.)
 */
export async function demoPort(ssc: StreamingContext, name: string, start: () => Promise<number>): Promise<number> {
  const variable = `SLUICE_DEMO_${name.toUpperCase()}_PORT`;
  if (ssc.mode === 'driver') {
    const port = await start();
    ssc.setExecutorEnv(variable, String(port));
    return port;
  }
  const port = Number(process.env[variable]);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`--demo: ${variable} is not set; the demo runs only with executors that its driver started (sluice submit)`);
  }
  return port;
}
