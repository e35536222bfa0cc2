import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ on every supported platform). */
const TICKS_PER_SECOND = 100;

/** A process's own and reaped children's CPU time, in seconds, and its parent, from /proc/PID/stat. */
function readStat(pid: number): { ppid: number; cpu: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (field: number) => Number(fields[field - 3] ?? 0);
  // utime, stime, cutime, cstime: fields 14-17 of proc(5).
  return { ppid: num(4), cpu: (num(14) + num(15) + num(16) + num(17)) / TICKS_PER_SECOND };
}

/** The command name of a process (/proc/PID/comm), or '' if it is gone. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** CPU seconds so far of this process and each live descendant (executors, a browser, senders). */
export function processTreeCpu(root = process.pid): Map<number, number> {
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === root) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  return new Map([...stats].filter(([pid]) => inTree(pid)).map(([pid, s]) => [pid, s.cpu]));
}

/**
 * CPU seconds the process tree used between two snapshots. A process started in between
 * counts whole; one that ended in between counts through its parent's reaped-children
 * time (executors are reaped by the driver), so little is lost either way.
 */
export function cpuSecondsBetween(start: Map<number, number>, end: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of end) total += cpu - (start.get(pid) ?? 0);
  return total;
}
