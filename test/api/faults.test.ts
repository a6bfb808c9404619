import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { ensureFerretDb, removeFerretDbData, type EmbeddedMongo } from '../../src/infra/ferretdb.ts';
import { startRedisServer, type EmbeddedRedis } from '../../src/infra/redisServer.ts';
import { findFreePort } from '../../src/infra/processes.ts';
import { eventually, exited, startEntry } from '../support/process.ts';

/**
 * The API as a real process with its own FerretDB and its own throwaway redis-server, so both can
 * be stopped under it: /readyz and API calls answer 503 (never hang), /healthz stays 200, and
 * everything recovers by itself when they return. Then SIGTERM closes it cleanly.
 */
describe('dependencies down: 503, then recovery; SIGTERM closes gracefully', function () {
  this.timeout(180_000);
  let dir: string;
  let mongo: EmbeddedMongo;
  let redis: EmbeddedRedis;
  let redisPort: number;
  let api: ChildProcess;
  let base: string;

  const get = (p: string) => fetch(base + p, { signal: AbortSignal.timeout(10_000) });
  const status = (p: string) => get(p).then((r) => r.status);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-faults-'));
    mongo = await ensureFerretDb(path.join(dir, 'data'), 'faults');
    redisPort = await findFreePort();
    redis = await startRedisServer(path.join(dir, 'redis'), redisPort);
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    api = startEntry('src/server.ts', {
      PORT: String(port),
      MONGODB_URI: mongo.uri,
      REDIS_URL: redis.url,
      DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    });
    await eventually('API ready', async () => (await status('/readyz')) === 200, 60_000);
  });

  after(async () => {
    if (api && api.exitCode === null) api.kill('SIGKILL');
    await redis?.stop();
    await mongo?.stop();
    await removeFerretDbData(path.join(dir, 'data'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Redis stopped: /readyz and the API answer 503 with a JSON error, /healthz 200; recovers when Redis returns', async () => {
    await redis.stop();
    await eventually('readyz 503 without Redis', async () => (await status('/readyz')) === 503);
    const ready = await (await get('/readyz')).json();
    expect(ready.checks.redis).to.equal('down');
    const res = await get('/api/institutions');
    expect(res.status).to.equal(503);
    expect((await res.json()).error.code).to.equal('unavailable');
    expect(await status('/healthz')).to.equal(200);

    redis = await startRedisServer(path.join(dir, 'redis'), redisPort);
    await eventually('readyz 200 after Redis returns', async () => (await status('/readyz')) === 200);
    expect(await status('/api/institutions')).to.equal(401);
  });

  it('database stopped: 503 rather than hanging; recovers when it returns', async () => {
    const port = mongo.port;
    await mongo.stop();
    await eventually('readyz 503 without the database', async () => (await status('/readyz')) === 503);
    expect((await (await get('/readyz')).json()).checks.database).to.equal('down');
    const res = await get('/api/session');
    expect(res.status).to.equal(503);
    expect(await status('/healthz')).to.equal(200);

    mongo = await ensureFerretDb(path.join(dir, 'data'), 'faults', port);
    await eventually('readyz 200 after the database returns', async () => (await status('/readyz')) === 200, 60_000);
  });

  it('SIGTERM: stops listening and exits with code 0', async () => {
    api.kill('SIGTERM');
    expect(await exited(api)).to.equal(0);
    const refused = await get('/healthz').then(() => false, () => true);
    expect(refused).to.equal(true);
  });
});
