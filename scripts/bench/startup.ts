import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { projectRoot } from '../../src/config.ts';
import { findFreePort } from '../../src/infra/processes.ts';
import { removeFerretDbData } from '../../src/infra/ferretdb.ts';

/**
 * Starts the whole service (`scripts/run.ts`, as `scripts/start` does once dependencies are in
 * place) on a fresh data folder and measures the time until /readyz answers 200. The first run
 * also loads the demo data; the figure is the median of the runs after it (FerretDB built already).
 */
const runs = Number(process.argv[2] ?? 5);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-bench-startup-'));

async function once(): Promise<number> {
  const port = await findFreePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'run.ts')], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', MONGODB_URI: '', REDIS_URL: '' },
    stdio: 'ignore',
  });
  let elapsed = -1;
  const deadline = started + 60_000;
  while (performance.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) {
      elapsed = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  if (elapsed < 0) throw new Error('the service did not become ready within 60 s');
  return elapsed;
}

try {
  const first = await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`first start (with demo data): ${(first / 1000).toFixed(2)} s; later starts: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`);
  console.log(`BENCH startup.first_start_to_ready ${(first / 1000).toFixed(2)} s target <= 10 ${first <= 10_000 ? 'pass' : 'miss'}`);
  console.log(`BENCH startup.to_ready_median ${(median / 1000).toFixed(2)} s target <= 3 ${median <= 3000 ? 'pass' : 'miss'}`);
} finally {
  await removeFerretDbData(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
