import { submit } from '@sluice/cli';
import type { StreamingContext } from '@sluice/streaming';
import { processTreeCpu } from './process-tree-cpu.js';

/**
 * Submits a benchmark job that reads one sender's connection (it closes when the sender
 * is done: no reconnect attempts or their log lines during the measurement) and waits
 * for the job's receiver to start. The clock and the CPU count start there, not when the
 * executors are launched. `totals` is the job module's: its listener calls
 * onReceiverStart.
 */
export async function submitMeasured(
  job: string,
  args: string[],
  conf: Record<string, unknown>,
  totals: { onReceiverStart: () => void },
  beforeStart?: (ssc: StreamingContext) => Promise<void>,
): Promise<{ ssc: StreamingContext; clockStart: number; cpuStart: ReturnType<typeof processTreeCpu> }> {
  // A receiver placed on an executor reports its start after submit() returns.
  const receiverStarted = new Promise<number>((resolve) => (totals.onReceiverStart = () => resolve(performance.now())));
  const { ssc } = await submit({
    job,
    args,
    conf: { receiverRestartDelay: 600_000, ...conf },
    beforeStart,
    log: (line: string) => {
      if (!line.includes('closed the connection') && !line.includes('restarting receiver')) process.stderr.write(`sluice: ${line}\n`);
    },
  });
  const clockStart = await receiverStarted;
  return { ssc, clockStart, cpuStart: processTreeCpu() };
}
