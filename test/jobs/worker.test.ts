import { expect } from 'chai';
import request from 'supertest';
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { stack, resetData } from '../support/stack.ts';
import { eventually, exited, startEntry } from '../support/process.ts';
import { readHeartbeat } from '../../src/ops/heartbeat.ts';
import { makeToken, makeUser } from '../support/factories.ts';
import { bullPrefix, queueNames } from '../../jobs/queues.ts';
import { createQueueRedis } from '../../src/redis.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';

const lv = loadCatalogue('lv') as { dashboard: Record<string, string> };

describe('background worker (a real process)', function () {
  this.timeout(120_000);
  let worker: ChildProcess;

  before(async () => {
    await resetData();
    // A schedule an earlier version made under a name no worker now knows: the worker removes it.
    const conn = createQueueRedis(stack().redisUrl);
    const queue = new Queue(queueNames.system, { connection: conn, prefix: bullPrefix(stack().redisPrefix) });
    await queue.upsertJobScheduler('open-needs', { every: 600_000 }, { name: 'open-needs', data: {} });
    await queue.close();
    conn.disconnect();
    worker = startEntry('jobs/worker.ts', { MONGODB_URI: stack().mongoUri, REDIS_URL: stack().redisUrl, DATA_DIR: stack().dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  });
  after(() => {
    if (worker.exitCode === null) worker.kill('SIGKILL');
  });

  it('registers its schedules once under the instance prefix (one an earlier version left is gone) and reports a heartbeat the overview shows', async () => {
    await eventually('heartbeat written', async () => (await readHeartbeat(stack().redis, stack().redisPrefix)) !== null);
    const conn = createQueueRedis(stack().redisUrl);
    const queue = new Queue(queueNames.system, { connection: conn, prefix: bullPrefix(stack().redisPrefix) });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).to.deep.equal(['dashboard', 'heartbeat', 'need-entries', 'sweep-imports']);
    } finally {
      await queue.close();
      conn.disconnect();
    }
    const coord = await makeUser('coordinator');
    const page = await request(stack().app).get('/dashboard').set('Authorization', `Bearer ${await makeToken(coord.email)}`).expect(200);
    expect(page.text).not.to.include(lv.dashboard.workerMissing);
  });

  it('closes gracefully on SIGTERM', async () => {
    worker.kill('SIGTERM');
    expect(await exited(worker)).to.equal(0);
  });
});
