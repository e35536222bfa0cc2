import type { FrameFaultKind } from '@sluice/protocol';

/** Totals of one kind of fault: how many were reported, and how many units they covered. */
export interface FaultTotal {
  /** Faults reported (what the supervisor's errorCounts counts). */
  reports: number;
  /** Units covered: bytes of garbage, frames missing from the sequence, frames with a bad CRC... */
  units: number;
}

/** What one unit, and one report, of each kind of fault is called in messages: [singular, plural]. */
const NAMES: Record<FrameFaultKind, { unit: [string, string]; report: [string, string] }> = {
  garbage: { unit: ['byte', 'bytes'], report: ['run', 'runs'] },
  'sequence-gap': { unit: ['frame missing', 'frames missing'], report: ['gap', 'gaps'] },
  'bad-crc': { unit: ['frame', 'frames'], report: ['report', 'reports'] },
  truncated: { unit: ['frame', 'frames'], report: ['report', 'reports'] },
  oversized: { unit: ['frame header', 'frame headers'], report: ['report', 'reports'] },
  malformed: { unit: ['frame', 'frames'], report: ['report', 'reports'] },
};

/**
 * Per-kind totals of the faults a receiver met in its byte stream, over its whole life
 * (restarts included). One report can stand for many units: a run of 40 garbage bytes is
 * one 'garbage' fault of 40 bytes, a jump of 3 in the sequence one 'sequence-gap' of 3.
 */
export class DeviceFaultTally {
  private readonly totals = new Map<FrameFaultKind, FaultTotal>();

  /** Counts one fault of `units` units; returns the totals of its kind so far. */
  add(kind: FrameFaultKind, units: number): FaultTotal {
    const total = this.totals.get(kind) ?? { reports: 0, units: 0 };
    total.reports++;
    total.units += units;
    this.totals.set(kind, total);
    return { ...total };
  }

  reports(kind: FrameFaultKind): number {
    return this.totals.get(kind)?.reports ?? 0;
  }

  units(kind: FrameFaultKind): number {
    return this.totals.get(kind)?.units ?? 0;
  }

  /** Every kind met so far, e.g. { garbage: { reports: 3, units: 51 } }. */
  toJSON(): Partial<Record<FrameFaultKind, FaultTotal>> {
    return Object.fromEntries([...this.totals].map(([kind, total]) => [kind, { ...total }]));
  }
}

/** "garbage so far: 51 bytes in 3 runs", the tail of a fault's message. */
export function describeFaultTotal(kind: FrameFaultKind, total: FaultTotal): string {
  const names = NAMES[kind];
  return `${kind} so far: ${count(total.units, names.unit)} in ${count(total.reports, names.report)}`;
}

function count(n: number, [singular, plural]: [string, string]): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
