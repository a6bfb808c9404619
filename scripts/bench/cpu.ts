import fs from 'node:fs';
import os from 'node:os';

/**
 * Where the CPU went during a benchmark, from /proc (Linux): per process (the API, FerretDB, the
 * PostgreSQL backends serving it, Redis, the load generator) and the rest of the machine, which on
 * a shared 2-core machine says how much the figures were squeezed by work that is not ours.
 */

/** CPU time (user + system, in seconds) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends serving the bench's FerretDB database (their titles name it). */
export function postgresBackends(database: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${database} `)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Busy CPU seconds of the whole machine so far (all cores). */
export function machineBusySeconds(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
  return (user + nice + system + irq + softirq + steal) / 100;
}

export type CpuSnapshot = { at: number; machine: number; parts: Record<string, number> };
export type Watched = () => Record<string, number[]>;

export function snapshot(watched: Watched): CpuSnapshot {
  const parts: Record<string, number> = {};
  for (const [name, pids] of Object.entries(watched())) parts[name] = pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
  return { at: performance.now(), machine: machineBusySeconds(), parts };
}

/**
 * Cores each part kept busy between two snapshots, with the CPU milliseconds per answer when
 * `answers` is given (else the CPU seconds), and what the rest of the machine used meanwhile.
 */
export function cpuShares(a: CpuSnapshot, b: CpuSnapshot, answers?: number): string {
  const wall = (b.at - a.at) / 1000;
  let ours = 0;
  const shown = Object.keys(b.parts).map((name) => {
    const used = b.parts[name]! - (a.parts[name] ?? 0);
    ours += used;
    return `${name} ${(used / wall).toFixed(2)} (${answers ? `${((used / answers) * 1000).toFixed(3)} ms/answer` : `${used.toFixed(1)} s`})`;
  });
  const rest = Math.max(0, (b.machine - a.machine - ours) / wall);
  return `${shown.join(', ')}; everything else on the machine ${rest.toFixed(2)} (of ${os.availableParallelism()} cores)`;
}
