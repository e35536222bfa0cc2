import { readFileSync } from 'node:fs';

/** Resident memory of a process in MiB (this process's own, or /proc's VmRSS); NaN once it is gone. */
export function rssMb(pid: number): number {
  if (pid === process.pid) return process.memoryUsage.rss() / 1048576;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The value at fraction p (0-1) of the sorted values; NaN for none. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}
