import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/**
 * Settings for an API whose status page the simulated parents ask: they all come from 127.0.0.1
 * and ask for some codes more than once, so with the real limits (per IP and per code) nearly
 * every lookup would be a 429. The limiters still run in full (both Redis counters per request);
 * only the thresholds are out of reach.
 */
export const statusLimitsOutOfReach = { STATUS_LIMIT_PER_IP: String(1e9), STATUS_LIMIT_PER_CODE: String(1e9) };

/** Waits until `url`/readyz answers 200; fails at once if `proc` (the API) has exited. */
export async function waitReady(url: string, proc?: ChildProcess, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (proc && proc.exitCode !== null) throw new Error(`the API exited with ${proc.exitCode}`);
    if (await fetch(url + '/readyz').then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready`);
}

/** VmHWM: the peak resident set since start (or since it was reset); VmRSS: the resident set now. */
export function rssMiB(pid: number, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Stops the children with SIGTERM, newest first (a load generator before the servers it asks),
 * waiting `pauseMs` after each so what it left in flight can finish. One that has not closed in
 * `killAfterMs` (a job waiting on a database that stopped answering) is killed.
 */
export async function stopChildren(children: Set<ChildProcess>, { pauseMs = 0, killAfterMs = 15_000 } = {}): Promise<void> {
  for (const c of [...children].reverse()) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const late = setTimeout(() => c.kill('SIGKILL'), killAfterMs);
    await exited;
    clearTimeout(late);
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
}
