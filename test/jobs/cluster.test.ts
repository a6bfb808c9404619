import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { Queue, type Job } from 'bullmq';
import { stack, resetData } from '../support/stack.ts';
import { eventually, exited, startEntry } from '../support/process.ts';
import { startSmtp } from '../support/notify.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { makeWorkbook } from '../support/imports.ts';
import { makeInstitution, makeToken, makeUser, testPassword } from '../support/factories.ts';
import { findFreePort } from '../../src/infra/processes.ts';
import { createQueueRedis, type Redis } from '../../src/redis.ts';
import { bullPrefix, queueNames } from '../../jobs/queues.ts';
import { sessionCookieName } from '../../src/auth/session.ts';
import { createMessages, type MessageDraft } from '../../src/notifications/messageService.ts';
import { MessageModel } from '../../src/notifications/model.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { InstitutionModel } from '../../src/institutions/model.ts';
import { personalCodes } from '../support/personalCodes.ts';

/**
 * More than one machine's worth: two API processes and two worker processes on one database and
 * one Redis, each process with a DATA_DIR of its own as on separate machines, so nothing is shared
 * through local files. Sessions started on one API serve the other; every import and message is
 * handled once; a schedule fires once per period, not once per worker.
 */

const dashboardPeriodS = 10;
// The schedule is watched for this long after both workers are up: 2 or 3 runs at one per period.
const scheduleWindowMs = 25_000;
const imports = 4;
const rowsPerImport = 25;
const messageBatches = 5;
const messagesPerBatch = 10;

type Proc = ChildProcess & { role: string; output: () => string };

function start(entry: 'src/server.ts' | 'jobs/worker.ts', role: string, env: Record<string, string>): Proc {
  const proc = startEntry(entry, env);
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString('utf8')).slice(-4000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  return Object.assign(proc, { role, output: () => out });
}

/** SIGTERM, then SIGKILL if it has not exited within ten seconds. */
async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  const done = exited(proc);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

const cookieOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(sessionCookieName + '='))
    ?.split(';')[0];
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** The jobs of a queue in every state, ids and who ran them. */
async function jobsOf(queue: Queue): Promise<Job[]> {
  return (await queue.getJobs(['completed', 'failed', 'active', 'wait', 'delayed', 'prioritized', 'waiting-children'])).filter((j): j is Job => !!j);
}

describe('two API processes and two worker processes on one database and one Redis', function () {
  this.timeout(150_000);
  const procs: Proc[] = [];
  let apiA: string;
  let apiB: string;
  let workersStartedAt = 0;
  let bothWorkersUpAt = 0;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let conn: Redis;
  let queues: { system: Queue; imports: Queue; notify: Queue };

  before(async () => {
    await resetData();
    const s = stack();
    // Only the worker processes below may take imports, not the test's own in-process worker.
    await s.jobs.worker.pause();
    smtp = await startSmtp();
    conn = createQueueRedis(s.redisUrl);
    const prefix = bullPrefix(s.redisPrefix);
    queues = {
      system: new Queue(queueNames.system, { connection: conn, prefix }),
      imports: new Queue(queueNames.imports, { connection: conn, prefix }),
      notify: new Queue(queueNames.notify, { connection: conn, prefix }),
    };

    // What separate machines share: the database (whose name gives the Redis prefix), Redis, and
    // the secrets set in the environment. Nothing else: each has its own DATA_DIR.
    const shared = {
      MONGODB_URI: s.mongoUri,
      REDIS_URL: s.redisUrl,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      SESSION_SECRET: s.config.sessionSecret!,
      PERSONAL_CODE_KEY: testPersonalCodeKey.toString('utf8'),
      SMTP_URL: smtp.url,
      DASHBOARD_REFRESH_SECONDS: String(dashboardPeriodS),
    };
    const dataDir = (name: string) => {
      const dir = path.join(s.dataDir, 'cluster', name);
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    };
    const [portA, portB] = [await findFreePort(), await findFreePort()];
    apiA = `http://127.0.0.1:${portA}`;
    apiB = `http://127.0.0.1:${portB}`;
    procs.push(start('src/server.ts', 'api-a', { ...shared, PORT: String(portA), DATA_DIR: dataDir('api-a') }));
    procs.push(start('src/server.ts', 'api-b', { ...shared, PORT: String(portB), DATA_DIR: dataDir('api-b') }));
    workersStartedAt = Date.now();
    procs.push(start('jobs/worker.ts', 'worker-1', { ...shared, DATA_DIR: dataDir('worker-1') }));
    procs.push(start('jobs/worker.ts', 'worker-2', { ...shared, DATA_DIR: dataDir('worker-2') }));

    // A process that dies while starting ends the wait at once, and its output says why.
    const dead = () => procs.find((p) => p.exitCode !== null);
    const alive = () => {
      const d = dead();
      if (d) throw new Error(`${d.role} exited with ${d.exitCode}:\n${d.output()}`);
    };
    for (const base of [apiA, apiB]) {
      await eventually(`${base} ready`, async () => !!dead() || (await fetch(base + '/readyz', { signal: AbortSignal.timeout(5_000) })).status === 200, 60_000);
      alive();
    }
    // A worker process registers its schedules before it starts taking system jobs.
    // Named workers only: the test's own (paused) import worker has no name.
    const named = async (q: Queue) => (await q.getWorkers()).filter((w) => String(w.rawname ?? '').includes(':w:')).length;
    await eventually('both workers taking jobs', async () => !!dead() || ((await named(queues.system)) >= 2 && (await named(queues.imports)) >= 2), 60_000);
    alive();
    bothWorkersUpAt = Date.now();
  });

  after(async () => {
    await Promise.all(procs.map(stop));
    await Promise.all(Object.values(queues ?? {}).map((q) => q.close()));
    conn?.disconnect();
    await smtp?.close();
    stack().jobs.worker.resume();
    fs.rmSync(path.join(stack().dataDir, 'cluster'), { recursive: true, force: true });
    await resetData();
  });

  it('a session started on one API serves the other: reads, changes with its CSRF token, and a sign-out on one ends it on both', async () => {
    const coord = await makeUser('coordinator');

    // JSON sign-in on A; read and change on B.
    const signin = await request(apiA).post('/api/session').send({ email: coord.email, password: testPassword }).expect(200);
    const cookie = cookieOf(signin)!;
    const csrf = signin.body.csrfToken as string;
    expect(cookie).to.be.a('string');
    const me = await request(apiB).get('/api/session').set('Cookie', cookie).expect(200);
    expect(me.body.user.email).to.equal(coord.email);
    expect(me.body.csrfToken, 'the CSRF token lives in the shared session').to.equal(csrf);
    const body = { code: 'CLUSTER-1', name: 'Made on B', type: 'school' };
    await request(apiB).post('/api/institutions').set('Cookie', cookie).send(body).expect(403);
    await request(apiB).post('/api/institutions').set('Cookie', cookie).set('X-CSRF-Token', csrf).send(body).expect(201);
    const read = await request(apiA).get('/api/institutions/CLUSTER-1').set('Cookie', cookie).expect(200);
    expect(JSON.stringify(read.body)).to.include('Made on B');
    expect(await InstitutionModel.countDocuments({ code: 'CLUSTER-1' })).to.equal(1);
    // Sign out on B: A refuses the cookie.
    await request(apiB).delete('/api/session').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(204);
    await request(apiA).get('/api/session').set('Cookie', cookie).expect(401);
    await request(apiB).get('/api/session').set('Cookie', cookie).expect(401);

    // The sign-in form on A with its CSRF token; the pages on B.
    const form = await request(apiA).get('/signin').expect(200);
    const formCookie = cookieOf(form)!;
    const formToken = csrfOf(form.text);
    expect(formToken).to.be.a('string');
    const posted = await request(apiA).post('/signin').set('Cookie', formCookie).type('form').send({ _csrf: formToken, email: coord.email, password: testPassword, next: '/dashboard' }).expect(303);
    expect(posted.headers.location).to.equal('/dashboard');
    const pageCookie = cookieOf(posted)!;
    expect(pageCookie, 'a new session id at sign-in').to.be.a('string').and.not.equal(formCookie);
    const dash = await request(apiB).get('/dashboard').set('Cookie', pageCookie).expect(200);
    const pageToken = csrfOf(dash.text);
    expect(pageToken, 'B renders the session\'s CSRF token into its forms').to.be.a('string');
    await request(apiB).post('/dashboard/refresh').set('Cookie', pageCookie).type('form').send({}).expect(403);
    await request(apiB).post('/dashboard/refresh').set('Cookie', pageCookie).type('form').send({ _csrf: pageToken }).expect(303);
    await request(apiB).post('/signout').set('Cookie', pageCookie).type('form').send({ _csrf: pageToken }).expect(303);
    const after = await request(apiA).get('/dashboard').set('Cookie', pageCookie).expect(303);
    expect(after.headers.location).to.match(/^\/signin/);
  });

  it('with both workers running, every import runs once with every row once, and every message is delivered once', async () => {
    const s = stack();
    // Imports for four institutions (one per institution may run at a time), uploaded through both APIs.
    const codes = personalCodes(imports * rowsPerImport);
    const uploads: Array<{ id: string; token: string; base: string }> = [];
    for (let i = 0; i < imports; i++) {
      const { code } = await makeInstitution();
      const token = await makeToken((await makeUser('principal', code)).email);
      const rows = codes.slice(i * rowsPerImport, (i + 1) * rowsPerImport).map((c, r) => [`${(r % 12) + 1}.a`, `Vārds${i}-${r}`, `Uzvārds${i}`, c, 'planšete']);
      const file = await makeWorkbook(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'], rows);
      const base = i % 2 === 0 ? apiA : apiB;
      const res = await request(base).post('/api/imports').set('Authorization', `Bearer ${token}`).field('kind', 'device-needs').attach('file', file, `list-${i}.xlsx`).expect(202);
      uploads.push({ id: res.body.id as string, token, base });
    }

    // Messages made in several batches, as events and reminders make them: one sending job each.
    const drafts = (b: number): MessageDraft[] =>
      Array.from({ length: messagesPerBatch }, (_, i) => ({
        event: `test.cluster:${b}:${i}`,
        template: 'stock_unallocated',
        language: 'lv',
        recipientRef: `user:${b}:${i}`,
        recipient: { kind: 'staff', address: `koordinators${b}-${i}@example.lv`, user: new Types.ObjectId() },
        channel: 'email',
        params: { count: i, days: 14, url: 'https://izglitiba.example.lv/devices' },
      }));
    for (let b = 0; b < messageBatches; b++) {
      const made = await createMessages(drafts(b), { key: testPersonalCodeKey, baseUrl: 'https://izglitiba.example.lv', configured: { email: true, sms: false }, queue: s.jobs.messageQueue, now: () => new Date() });
      expect(made).to.deep.equal({ made: messagesPerBatch, queued: messagesPerBatch });
    }
    const messageCount = messageBatches * messagesPerBatch;

    // Each import read back through the other API.
    for (const u of uploads) {
      const other = u.base === apiA ? apiB : apiA;
      let imp: { status?: string; summary?: Record<string, number> } = {};
      await eventually(`import ${u.id} finished`, async () => {
        imp = (await request(other).get(`/api/imports/${u.id}`).set('Authorization', `Bearer ${u.token}`)).body;
        return imp.status === 'succeeded' || imp.status === 'failed';
      }, 90_000);
      expect(imp.status).to.equal('succeeded');
      expect(imp.summary).to.include({ rows: rowsPerImport, created: rowsPerImport, updated: 0, unchanged: 0, rejected: 0 });
    }
    const records = await ImportModel.find({}, { attempts: 1, status: 1 }).lean();
    expect(records.map((r) => [r.status, r.attempts]), 'each import ran once').to.deep.equal(uploads.map(() => ['succeeded', 1]));
    expect(await PupilModel.countDocuments()).to.equal(imports * rowsPerImport);
    const needs = await DeviceNeedModel.find({}, { pupil: 1, referenceCode: 1 }).lean();
    expect(needs).to.have.length(imports * rowsPerImport);
    expect(new Set(needs.map((n) => String(n.pupil))).size, 'one need per pupil').to.equal(imports * rowsPerImport);
    expect(new Set(needs.map((n) => n.referenceCode)).size, 'distinct reference codes').to.equal(imports * rowsPerImport);

    await eventually('every message settled', async () => (await MessageModel.countDocuments({ event: /^test\.cluster:/, status: { $in: ['queued', 'retrying', 'sending'] } })) === 0, 90_000);
    const sent = await MessageModel.find({ event: /^test\.cluster:/ }, { status: 1 }).lean();
    expect(sent).to.have.length(messageCount);
    expect(sent.filter((m) => m.status !== 'sent'), 'every message sent').to.deep.equal([]);
    const received = new Map<string, number>();
    for (const m of smtp.mails) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
    expect([...received].filter(([, n]) => n > 1), 'no message arrived twice').to.deep.equal([]);
    for (const m of sent) expect(received.get(`<${m._id}@localhost>`), `message ${m._id} arrived once`).to.equal(1);

    // Who ran what: every job by one of the two worker processes. The split is reported, not asserted.
    const workerNames = new Set(procs.filter((p) => p.role.startsWith('worker')).map((p) => `:${p.pid}`));
    const ranBy = (jobs: Job[]) => {
      const by = new Map<string, number>();
      for (const j of jobs) by.set(j.processedBy ?? 'none', (by.get(j.processedBy ?? 'none') ?? 0) + 1);
      return by;
    };
    const importJobs = (await jobsOf(queues.imports)).filter((j) => uploads.some((u) => u.id === j.id));
    const sendJobs = await jobsOf(queues.notify);
    expect(importJobs).to.have.length(imports);
    expect(sendJobs).to.have.length(messageBatches);
    for (const j of [...importJobs, ...sendJobs]) {
      expect([...workerNames].some((w) => j.processedBy?.endsWith(w)), `job ${j.id} run by one of the worker processes (${j.processedBy})`).to.equal(true);
      expect(j.attemptsStarted ?? j.attemptsMade, `job ${j.id} started once`).to.equal(1);
    }
    console.log(`      imports by worker: ${JSON.stringify(Object.fromEntries(ranBy(importJobs)))}; sending jobs by worker: ${JSON.stringify(Object.fromEntries(ranBy(sendJobs)))}; ${received.size} messages delivered once`);
  });

  it('the dashboard schedule fires once per period, not once per worker', async () => {
    // Watch a window that starts once both workers are up (both have registered the schedule).
    const windowEnd = bothWorkersUpAt + scheduleWindowMs;
    if (Date.now() < windowEnd) await new Promise((r) => setTimeout(r, windowEnd - Date.now()));
    // A run due inside the window may still be running when it closes: wait for it.
    // Counted by job name, so a schedule registered once per worker (under any id) would show too.
    const runsOf = async () => (await jobsOf(queues.system)).filter((j) => j.name === 'dashboard');
    // A scheduled job's id ends with the time it is due.
    const dueAt = (j: Job) => Number(/:(\d+)$/.exec(String(j.id))?.[1] ?? j.timestamp + (j.opts.delay ?? 0));
    await eventually('runs due in the window finished', async () => (await runsOf()).filter((j) => dueAt(j) < windowEnd).every((j) => j.finishedOn), 30_000);
    const all = await runsOf();
    const inWindow = all.filter((j) => j.finishedOn && dueAt(j) >= bothWorkersUpAt && dueAt(j) < windowEnd);
    const sinceStart = all.filter((j) => j.finishedOn && dueAt(j) >= workersStartedAt - 1000 && dueAt(j) < windowEnd);
    console.log(
      `      dashboard runs (every ${dashboardPeriodS} s): ${inWindow.length} in the ${scheduleWindowMs / 1000} s window with both workers up, ${sinceStart.length} in ${((windowEnd - workersStartedAt) / 1000).toFixed(0)} s since the workers started; by ${JSON.stringify(Object.fromEntries(inWindow.map((j) => [String(j.id), j.processedBy])))}`,
    );
    expect(inWindow.length, 'once per period: 2 or 3 runs in 25 s, not one per worker').to.be.within(2, 3);
    const periods = Math.ceil((windowEnd - workersStartedAt) / (dashboardPeriodS * 1000));
    expect(sinceStart.length, 'start-up adds no run per worker').to.be.at.most(periods + 1);
    expect((await queues.system.getJobSchedulers()).map((s) => s.key).sort()).to.deep.equal(['dashboard', 'heartbeat', 'need-entries', 'sweep-imports']);
  });
});
