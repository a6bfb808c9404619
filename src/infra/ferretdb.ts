import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { loadConfig, projectRoot } from '../config.ts';
import { chooseBackend, dropBackendData, readBackend, type Backend } from './ferretdbBackend.ts';
import { addLookupIndexes } from './ferretdbIndexes.ts';
import { findFreePort, isAlive, isPortOpen, readNumberFile, stopProcess, waitForPort } from './processes.ts';

/** A FerretDB that runs under DATA_DIR; `owned` says whether this process started it. */
export type EmbeddedMongo = { uri: string; port: number; pid: number; owned: boolean; stop(): Promise<void> };

export const ferretdbBinary = path.join(projectRoot, '.tools', 'ferretdb', 'bin', 'ferretdb');

function files(dataDir: string) {
  const dir = path.join(dataDir, 'ferretdb');
  return {
    dir,
    sqlite: path.join(dir, 'sqlite'),
    state: path.join(dir, 'state'),
    port: path.join(dir, 'port'),
    pid: path.join(dir, 'pid'),
    log: path.join(dir, 'ferretdb.log'),
    backend: path.join(dir, 'backend.json'),
  };
}

function handlerArgs(b: Backend, sqliteDir: string): string[] {
  return b.handler === 'pg' ? ['--handler=pg', `--postgresql-url=${b.url}`] : ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`];
}

/** Builds FerretDB once (scripts/ferretdb/build skips when the pinned binary exists). */
export function buildFerretDb(): void {
  if (fs.existsSync(ferretdbBinary)) return;
  const res = spawnSync(path.join(projectRoot, 'scripts', 'ferretdb', 'build'), { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('FerretDB could not be built (see the message above), or set MONGODB_URI.');
}

/**
 * Returns the FerretDB serving DATA_DIR, starting it when none runs. The port is recorded under
 * DATA_DIR so that the service, the worker and the CLI all find the same server.
 */
export async function ensureFerretDb(dataDir: string, dbName: string, preferredPort?: number, postgresUrl: string | null = postgresUrlFromEnv()): Promise<EmbeddedMongo> {
  const f = files(dataDir);
  const uriFor = (port: number) => `mongodb://127.0.0.1:${port}/${dbName}`;
  const port = readNumberFile(f.port);
  const pid = readNumberFile(f.pid);
  if (port && pid && isAlive(pid) && (await isPortOpen(port))) {
    return { uri: uriFor(port), port, pid, owned: false, stop: async () => {} };
  }

  buildFerretDb();
  fs.mkdirSync(f.sqlite, { recursive: true });
  fs.mkdirSync(f.state, { recursive: true });
  const backend = await chooseBackend(f.backend, dataDir, postgresUrl, f.sqlite);
  const newPort = preferredPort ?? (await findFreePort());
  const log = fs.openSync(f.log, 'a');
  const child = spawn(
    ferretdbBinary,
    [
      ...handlerArgs(backend, f.sqlite),
      `--listen-addr=127.0.0.1:${newPort}`,
      '--telemetry=disable',
      `--state-dir=${f.state}`,
      '--log-level=warn',
      // No debug/metrics listener: it binds a fixed port, which would clash between instances.
      '--debug-addr=-',
    ],
    // Detached into its own process group: a Ctrl-C in the terminal reaches our supervisor,
    // which then stops FerretDB last, after the API and worker have closed their connections.
    // FerretDB decodes every document it returns, so Go's garbage collector took a large share
    // of its CPU on reads of thousands of small documents (the kindergartens' monitoring view):
    // a collection at 5× the live heap instead of 2× cut that share, with a memory limit that
    // makes the collector work harder again before the heap could grow past 1 GiB.
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, GOGC: '400', GOMEMLIMIT: '1GiB' } },
  );
  fs.closeSync(log);
  child.unref();
  const childPid = child.pid;
  if (!childPid) throw new Error('FerretDB could not be started');
  // Fail fast with the reason when FerretDB exits during start-up instead of waiting it out.
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`FerretDB exited with code ${code} during start-up; see ${f.log}`))),
  );
  await Promise.race([waitForPort(newPort, `FerretDB (log: ${f.log})`), exited]);
  child.removeAllListeners('exit');
  fs.writeFileSync(f.port, String(newPort));
  fs.writeFileSync(f.pid, String(childPid));
  return {
    uri: uriFor(newPort),
    port: newPort,
    pid: childPid,
    owned: true,
    stop: async () => {
      await stopProcess(childPid);
      for (const file of [f.port, f.pid]) fs.rmSync(file, { force: true });
    },
  };
}

/** FERRETDB_POSTGRESQL_URL as the configuration reads it, for tests and benchmarks that start FerretDB themselves. */
function postgresUrlFromEnv(): string | null {
  return loadConfig({ FERRETDB_POSTGRESQL_URL: process.env.FERRETDB_POSTGRESQL_URL }).ferretdbPostgresUrl;
}

/** Removes what an embedded FerretDB kept for DATA_DIR (its PostgreSQL database); call after stop(). */
export async function removeFerretDbData(dataDir: string): Promise<void> {
  const f = files(dataDir);
  await dropBackendData(f.backend);
}

/**
 * Gives the embedded FerretDB's collections indexes its lookups can use (see ferretdbIndexes.ts).
 * Call after the models' indexes are built; a no-op on SQLite or with MONGODB_URI.
 */
export async function addEmbeddedLookupIndexes(dataDir: string): Promise<void> {
  const backend = readBackend(files(dataDir).backend);
  if (backend) await addLookupIndexes(backend);
}
