import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU accounting of a bench run (issue 18: where the time goes): clock ticks of this process, the
 * service process and every `postgres` process, and the machine's busy share, read from /proc.
 */
export interface CpuPerOp {
  /** This process: the load generator, the references' `pg` clients. */
  benchMs: number;
  /** The service processes started by startServiceProcess (0 when none runs): the pledge bench
   * runs two, one per database, and drives one at a time. */
  serviceMs: number;
  /** Every `postgres` process on the machine (the benches' databases are the only busy ones). */
  postgresMs: number;
  /** The machine's non-idle share of all its cores over the run. */
  machineBusyPct: number;
}

/** Clock ticks of the processes a run is shared by, and of the whole machine. */
export interface CpuSnapshot {
  bench: number;
  service: number;
  postgres: number;
  machineBusy: number;
  machineAll: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux
const servicePids = new Set<number>();

/** A service process whose CPU each run reports (startServiceProcess adds each one it starts). */
export function watchServiceCpu(pid: number): void {
  servicePids.add(pid);
}

/**
 * utime + stime of one process, in clock ticks (0 once it is gone); with `children`, also that of
 * its children that ended (the postmaster's ended backends).
 */
function ticksOf(pid: number, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return fields[11] + fields[12] + (children ? fields[13] + fields[14] : 0);
  } catch {
    return 0;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  let postgres = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        postgres += ticksOf(Number(entry), true);
    } catch {
      // gone since the listing
    }
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const all = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return {
    bench: ticksOf(process.pid),
    service: [...servicePids].reduce((sum, pid) => sum + ticksOf(pid), 0),
    postgres,
    machineBusy: all - idle,
    machineAll: all,
  };
}

export function cpuPerOp(from: CpuSnapshot, to: CpuSnapshot, ops: number): CpuPerOp {
  const per = (a: number, b: number) => Number((((b - a) * TICK_MS) / Math.max(ops, 1)).toFixed(3));
  return {
    benchMs: per(from.bench, to.bench),
    serviceMs: per(from.service, to.service),
    postgresMs: per(from.postgres, to.postgres),
    machineBusyPct: Math.round(
      (100 * (to.machineBusy - from.machineBusy)) / Math.max(to.machineAll - from.machineAll, 1),
    ),
  };
}
