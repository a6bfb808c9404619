import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { findFreePort, isAlive, isPortOpen, readNumberFile, stopProcess, waitForPort } from './processes.ts';

export type EmbeddedRedis = { url: string; pid: number | undefined; owned: boolean; stop(): Promise<void> };

/** True when `redis-server` is on PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts a throwaway or DATA_DIR-backed `redis-server` on `port` (a free one when omitted).
 * Used when no REDIS_URL is set and nothing answers on 127.0.0.1:6379, and by tests that stop Redis.
 */
export async function startRedisServer(dir: string, port?: number): Promise<EmbeddedRedis> {
  if (!hasRedisServer()) {
    throw new Error('Redis is needed: install redis-server (Debian: apt-get install redis-server) or set REDIS_URL.');
  }
  fs.mkdirSync(dir, { recursive: true });
  const p = port ?? (await findFreePort());
  const child = spawn(
    'redis-server',
    ['--port', String(p), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--logfile', path.join(dir, 'redis.log')],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  const pid = child.pid;
  await waitForPort(p, 'redis-server');
  fs.writeFileSync(path.join(dir, 'port'), String(p));
  fs.writeFileSync(path.join(dir, 'pid'), String(pid));
  return {
    url: `redis://127.0.0.1:${p}`,
    pid,
    owned: true,
    stop: async () => {
      if (pid) await stopProcess(pid);
      for (const file of ['port', 'pid']) fs.rmSync(path.join(dir, file), { force: true });
    },
  };
}

/** The Redis to use when REDIS_URL is unset: the local default if it answers, else our own. */
export async function ensureRedis(dataDir: string): Promise<EmbeddedRedis> {
  if (await isPortOpen(6379)) return { url: 'redis://127.0.0.1:6379', pid: undefined, owned: false, stop: async () => {} };
  const dir = path.join(dataDir, 'redis');
  const port = readNumberFile(path.join(dir, 'port'));
  const pid = readNumberFile(path.join(dir, 'pid'));
  if (port && pid && isAlive(pid) && (await isPortOpen(port))) {
    return { url: `redis://127.0.0.1:${port}`, pid, owned: false, stop: async () => {} };
  }
  return startRedisServer(dir);
}
