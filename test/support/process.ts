import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { workerArgs } from '../../jobs/nodeFlags.ts';
import { projectRoot } from '../../src/config.ts';

/** Starts one of the project's entry points as a real process with the given environment. */
export function startEntry(entry: string, env: Record<string, string>): ChildProcess {
  const file = path.join(projectRoot, entry);
  // The worker runs with the V8 settings it has in production.
  return spawn(process.execPath, entry === 'jobs/worker.ts' ? workerArgs(file) : [file], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits until `check` is true, polling; fails with `what` after `limitMs` (a bound, not a timing assertion). */
export async function eventually(what: string, check: () => Promise<boolean>, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`gave up waiting: ${what}`);
}

/** Resolves with the exit code once the process has exited. */
export function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}
