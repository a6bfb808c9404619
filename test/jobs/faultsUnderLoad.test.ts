import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import { expect } from 'chai';
import { ensureFerretDb, removeFerretDbData, type EmbeddedMongo } from '../../src/infra/ferretdb.ts';
import { startRedisServer, type EmbeddedRedis } from '../../src/infra/redisServer.ts';
import { findFreePort } from '../../src/infra/processes.ts';
import { InstitutionModel } from '../../src/institutions/model.ts';
import { ApiTokenModel, UserModel } from '../../src/auth/model.ts';
import { eventually, exited, startEntry } from '../support/process.ts';
import { makeWorkbook } from '../support/imports.ts';
import { startSmtp } from '../support/notify.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { personalCodes } from '../support/personalCodes.ts';

/**
 * Faults while work is in flight, with real processes: an API and a worker on a FerretDB and a
 * redis-server of this test's own (so both can be stopped under them), device-needs imports whose
 * guardians are written to through a real SMTP server. Redis restarted mid-run, the database
 * restarted mid-run, then SIGTERM to the worker mid-import and to the API under a steady stream
 * of requests. Nothing is restarted by the test except what it stopped on purpose.
 *
 * In the database case the processes' database clients are watched (src/dbWatchdog.ts): in some
 * restarts the driver's server monitor hung on a connection that closed under it, and without
 * the watch the worker then failed every query for good. The figure line says how often the
 * watch stepped in.
 */

const rowsPerImport = 300;
// One row in thirty carries a guardian's e-mail: ten messages per import.
const mailEvery = 30;
const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka e-pasts'];

type Outcome = { status?: number; error?: string; ms: number };

describe('faults under load: Redis and the database restarted mid-run, SIGTERM under load (real processes)', function () {
  this.timeout(240_000);
  let dir: string;
  let dataDir: string;
  let mongo: EmbeddedMongo;
  let redis: EmbeddedRedis;
  let redisPort: number;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let conn: Connection;
  let api: ChildProcess & { log: () => string };
  let worker: ChildProcess & { log: () => string };
  const procs: ChildProcess[] = [];
  let base: string;
  let token: string;
  let env: Record<string, string>;
  let codesUsed = 0;
  let institutionCount = 0;
  const imports: Array<{ id: string; institution: string; rows: number }> = [];

  /** `eventually`, with the processes' last output in the message when it gives up. */
  const within = (what: string, check: () => Promise<boolean>, limitMs: number) =>
    eventually(what, check, limitMs).catch(async (err: Error) => {
      const st = await conn.collection('messages').find({}, { projection: { status: 1 } }).toArray();
      throw new Error(`${err.message}; imports ${[...(await importStatuses()).values()].join('/')}; messages ${st.map((m) => m.status).join(',')}${logs()}`);
    });
  const logs = () => `\n--- api ---\n${api?.log().slice(-4000)}\n--- worker ---\n${worker?.log().slice(-8000)}`;

  // Times a process replaced its database client (src/dbWatchdog.ts), over every process started.
  let clientsReplaced = 0;

  function start(entry: 'src/server.ts' | 'jobs/worker.ts', extra: Record<string, string> = {}) {
    const proc = startEntry(entry, { ...env, ...extra });
    let log = '';
    const take = (c: Buffer) => {
      log = (log + c).slice(-20_000);
      clientsReplaced += (String(c).match(/replacing the client/g) ?? []).length;
    };
    proc.stdout!.on('data', take);
    proc.stderr!.on('data', take);
    procs.push(proc);
    return Object.assign(proc, { log: () => log });
  }

  /** A request with a bound: answers the status, or the error's code when it never got one. */
  async function call(method: string, p: string, body?: FormData | object, limitMs = 10_000): Promise<Outcome> {
    const t0 = Date.now();
    try {
      const res = await fetch(base + p, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
        body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(limitMs),
      });
      await res.arrayBuffer();
      return { status: res.status, ms: Date.now() - t0 };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      return { error: e.cause?.code ?? e.name, ms: Date.now() - t0 };
    }
  }

  const getJson = async (p: string) => {
    const res = await fetch(base + p, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.json() };
  };

  /** A school of its own and a 300-row device-needs file for it. */
  async function prepareImport() {
    const code = `FL-${++institutionCount}`;
    await conn.model('Institution').create({ code, name: `Skola ${code}`, type: 'school' });
    const codes = personalCodes(rowsPerImport, codesUsed);
    codesUsed += rowsPerImport;
    const rows = codes.map((pk, i) => [`${(i % 12) + 1}.a`, `Vārds${i}`, `Uzvārds${i}`, pk, 'planšete', i % mailEvery === 0 ? `vecaks${i}.${code.toLowerCase()}@example.lv` : '']);
    return { code, file: await makeWorkbook(header, rows) };
  }

  /** Uploads `n` such files at once (so they queue up behind each other); their import ids. */
  async function uploadImports(n: number): Promise<string[]> {
    const files = [];
    for (let i = 0; i < n; i++) files.push(await prepareImport());
    return Promise.all(
      files.map(async ({ code, file }) => {
        const form = new FormData();
        form.set('kind', 'device-needs');
        form.set('institution', code);
        form.set('file', new Blob([new Uint8Array(file)]), `${code}.xlsx`);
        const res = await fetch(base + '/api/imports', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(30_000) });
        const body = (await res.json()) as { id: string };
        expect(res.status, JSON.stringify(body)).to.equal(202);
        imports.push({ id: body.id, institution: code, rows: rowsPerImport });
        return body.id;
      }),
    );
  }

  const importStatuses = async () => {
    const docs = await conn.collection('imports').find({}, { projection: { status: 1 } }).toArray();
    return new Map(docs.map((d) => [String(d._id), d.status as string]));
  };

  /** Every import so far succeeded with every row created once, each pupil with one need. */
  async function expectImportsComplete(): Promise<void> {
    for (const imp of imports) {
      const { body } = await getJson(`/api/imports/${imp.id}`);
      expect(body.status, `import ${imp.institution}: ${JSON.stringify(body.failure)}`).to.equal('succeeded');
      // Created, or (a batch replayed after its checkpoint was lost) unchanged: never rejected or doubled.
      expect(body.summary.rows).to.equal(imp.rows);
      expect(body.summary.created + body.summary.unchanged, `import ${imp.institution} counted every row once`).to.equal(imp.rows);
      expect(body.summary.rejected).to.equal(0);
      const inst = await conn.collection('institutions').findOne({ code: imp.institution });
      expect(await conn.collection('pupils').countDocuments({ institution: inst!._id }), `pupils of ${imp.institution}`).to.equal(imp.rows);
      const needs = await conn.collection('deviceneeds').find({ institution: inst!._id }, { projection: { pupil: 1 } }).toArray();
      expect(needs, `needs of ${imp.institution}`).to.have.length(imp.rows);
      expect(new Set(needs.map((n) => String(n.pupil))).size, 'one need per pupil').to.equal(imp.rows);
    }
    const all = imports.reduce((s, i) => s + i.rows, 0);
    expect(await conn.collection('pupils').countDocuments()).to.equal(all);
    expect((await conn.collection('pupils').distinct('personalCodeHash')).length, 'no pupil twice').to.equal(all);
  }

  /** Every message due so far settled: sent once (arrived once) or `unknown` for a person to check; none twice, none lost. */
  async function expectMessagesSettled(): Promise<{ sent: number; unknown: number }> {
    const expected = imports.reduce((s, i) => s + Math.ceil(i.rows / mailEvery), 0);
    await within(
      `all ${expected} messages settled`,
      async () => {
        const made = await conn.collection('messages').countDocuments();
        const open = await conn.collection('messages').countDocuments({ status: { $in: ['queued', 'retrying', 'sending'] } });
        return made === expected && open === 0;
      },
      120_000,
    );
    const received = new Map<string, number>();
    for (const m of smtp.mails) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
    const twice = [...received].filter(([, n]) => n > 1);
    if (twice.length) {
      const docs = await conn.collection('messages').find({ _id: { $in: twice.map(([id]) => id.slice(1, -'@localhost>'.length)) } as never }).toArray();
      throw new Error(`mails arrived twice: ${JSON.stringify(docs)}${logs()}`);
    }
    const msgs = await conn.collection('messages').find({}, { projection: { status: 1 } }).toArray();
    const sent = msgs.filter((m) => m.status === 'sent');
    const unknown = msgs.filter((m) => m.status === 'unknown');
    expect(sent.length + unknown.length, `each sent or unknown: ${JSON.stringify(msgs.map((m) => m.status))}`).to.equal(expected);
    for (const m of sent) expect(received.get(`<${String(m._id)}@localhost>`), `sent ${String(m._id)} arrived once`).to.equal(1);
    // A mail the SMTP server took whose record says unknown is fine (a person checks it); one it
    // never took while the record says sent would be a lie, and that is what the loop above rules out.
    return { sent: sent.length, unknown: unknown.length };
  }

  /**
   * Brings work into flight for a fault: a first wave of imports whose guardians' mails are going
   * out, then a second wave uploaded; answers once one of the second wave runs, with what stood
   * where at that moment.
   */
  async function busy(first: number, second: number) {
    const sentBefore = smtp.mails.length;
    const a = await uploadImports(first);
    await within('mails of the first wave going out', async () => smtp.mails.length > sentBefore, 90_000);
    const b = await uploadImports(second);
    await within('the second wave running', async () => {
      const st = await importStatuses();
      return b.some((id) => st.get(id) === 'running' || st.get(id) === 'succeeded');
    }, 90_000);
    const st = await importStatuses();
    const at = {
      imports: [...a, ...b].map((id) => st.get(id)),
      made: await conn.collection('messages').countDocuments(),
      mails: smtp.mails.length,
    };
    expect(at.imports.filter((x) => x !== 'succeeded'), 'imports still to run at the cut').to.not.be.empty;
    return { ids: [...a, ...b], at, text: () => `imports ${at.imports.join('/')}, ${at.made} messages made, ${at.mails} mails in` };
  }

  before(async function () {
    this.timeout(120_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-faults-load-'));
    dataDir = path.join(dir, 'data');
    mongo = await ensureFerretDb(dataDir, 'faultsload');
    redisPort = await findFreePort();
    redis = await startRedisServer(path.join(dir, 'redis'), redisPort);
    // Each mail takes a moment to be accepted, so some are in flight when a fault lands.
    // (a second each: about five a second over the pooled connections).
    smtp = await startSmtp({ delayMs: 1000 });
    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      MONGODB_URI: mongo.uri,
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      SMTP_URL: smtp.url,
      PERSONAL_CODE_KEY: testPersonalCodeKey.toString('utf8'),
      PUBLIC_URL: 'https://izglitiba.example.lv',
      // Shorter than the default half-minute so that a retry after a fault comes within the test,
      // yet the six tries still outlast the outages below (2 + 4 + … + 32 s).
      NOTIFY_RETRY_MS: '2000',
      // The load in the SIGTERM case repeats parents' lookups; the limits are not under test here.
      STATUS_LIMIT_PER_IP: '1000000',
      STATUS_LIMIT_PER_CODE: '1000000',
    };
    api = start('src/server.ts');
    worker = start('jobs/worker.ts');
    // The test's own connection to the processes' database, to set up and to count.
    conn = await mongoose.createConnection(mongo.uri).asPromise();
    for (const m of [InstitutionModel, UserModel, ApiTokenModel]) conn.model(m.modelName, m.schema);
    await eventually('API ready', async () => (await fetch(base + '/readyz')).status === 200, 60_000);
    // The API builds the unique indexes at start-up; imports rely on them.
    await eventually('indexes built', async () => (await conn.collection('pupils').indexes()).some((i) => i.unique), 60_000);
    const user = await conn.model('User').create({ email: 'koordinators@faults.lv', passwordHash: 'unused', role: 'coordinator', name: 'Koordinators' });
    token = 'edu_' + randomBytes(32).toString('base64url');
    await conn.model('ApiToken').create({ user: user._id, hash: createHash('sha256').update(token).digest('hex'), prefix: token.slice(0, 10) });
  });

  after(async function () {
    this.timeout(60_000);
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGKILL');
      await exited(p);
    }
    await conn?.close();
    await smtp?.close();
    await redis?.stop();
    await mongo?.stop();
    if (dataDir) await removeFerretDbData(dataDir);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Redis restarted mid-run: 503 while it is away, then every import and message completes by itself', async () => {
    // Lands with imports queued and running, and the first wave's mails going out.
    const cut = await busy(2, 3);
    const down = Date.now();
    await redis.stop();

    // While Redis is away, requests that need it answer 503 at once; the parent's /healthz stays up.
    const answers: Outcome[] = [];
    await eventually('readyz 503 without Redis', async () => (await call('GET', '/readyz')).status === 503);
    const until = Date.now() + 6000;
    while (Date.now() < until) {
      const form = new FormData();
      form.set('kind', 'device-needs');
      answers.push(...(await Promise.all([call('GET', '/readyz'), call('GET', `/api/imports/${imports[0]!.id}`), call('GET', '/api/imports'), call('POST', '/api/imports', form)])));
      await sleep(250);
    }
    expect(answers.filter((a) => a.status !== 503), 'every request answered 503').to.deep.equal([]);
    expect(Math.max(...answers.map((a) => a.ms)), 'none hung').to.be.below(5000);
    expect((await call('GET', '/healthz')).status).to.equal(200);

    // The same data directory: startRedisServer runs with appendonly yes, so the restarted server
    // replays its AOF and the queued jobs are there, as with a production Redis that persists.
    redis = await startRedisServer(path.join(dir, 'redis'), redisPort);
    const outage = (Date.now() - down) / 1000;
    await eventually('readyz 200 after Redis returns', async () => (await call('GET', '/readyz')).status === 200);

    await within('every import finished', async () => [...(await importStatuses()).values()].every((s) => s === 'succeeded' || s === 'failed'), 120_000);
    await expectImportsComplete();
    const mails = await expectMessagesSettled();
    expect(api.exitCode, 'API still up').to.equal(null);
    expect(worker.exitCode, 'worker still up').to.equal(null);
    console.log(`      Redis away ${outage.toFixed(1)} s: ${answers.length} requests answered 503 (slowest ${Math.max(...answers.map((a) => a.ms))} ms); at the cut ${cut.text()}; after: ${imports.length} imports succeeded, ${mails.sent} messages sent once, ${mails.unknown} unknown`);
  });

  it('the database restarted mid-run: 503 while it is away, then every import completes, the worker still up', async () => {
    const cut = await busy(2, 2);
    const mine = cut.ids;
    const port = mongo.port;
    const down = Date.now();
    await mongo.stop();

    const answers: Outcome[] = [];
    await eventually('readyz 503 without the database', async () => (await call('GET', '/readyz')).status === 503);
    const until = Date.now() + 6000;
    while (Date.now() < until) {
      answers.push(...(await Promise.all([call('GET', '/readyz'), call('GET', `/api/imports/${mine[0]}`), call('GET', '/api/imports')])));
      await sleep(250);
    }
    expect(answers.filter((a) => a.status !== 503), 'every request answered 503').to.deep.equal([]);
    expect(Math.max(...answers.map((a) => a.ms)), 'none hung').to.be.below(5000);

    mongo = await ensureFerretDb(dataDir, 'faultsload', port);
    const outage = (Date.now() - down) / 1000;
    await eventually('readyz 200 after the database returns', async () => (await call('GET', '/readyz')).status === 200, 60_000);
    await within('every import finished', async () => [...(await importStatuses()).values()].every((s) => s === 'succeeded' || s === 'failed'), 150_000);
    await expectImportsComplete();
    const mails = await expectMessagesSettled();
    expect(worker.exitCode, 'worker still up').to.equal(null);
    const attempts = (await conn.collection('imports').find({ _id: { $in: mine.map((id) => new mongoose.Types.ObjectId(id)) } }).toArray()).map((d) => d.attempts);
    console.log(`      database away ${outage.toFixed(1)} s from the cut (${cut.text()}): ${answers.length} requests answered 503 (slowest ${Math.max(...answers.map((a) => a.ms))} ms); ${mine.length} imports succeeded (runs each: ${attempts.join(', ')}), ${mails.sent} messages sent once, ${mails.unknown} unknown in all; database clients replaced by the watch so far: ${clientsReplaced}`);
  });

  it('SIGTERM to the worker mid-import: it finishes or releases the job, exits 0, and a new worker completes the rest', async () => {
    const mine = await uploadImports(3);
    await within('an import running', async () => {
      const st = await importStatuses();
      return mine.some((id) => st.get(id) === 'running');
    }, 90_000);
    const t0 = Date.now();
    worker.kill('SIGTERM');
    expect(await exited(worker), worker.log()).to.equal(0);
    const closeMs = Date.now() - t0;
    const st = await importStatuses();
    const atExit = mine.map((id) => st.get(id));
    // The job in hand was finished, not dropped half-way: none is left marked running.
    expect(atExit, 'none left running').to.not.include('running');

    worker = start('jobs/worker.ts');
    await within('every import finished', async () => [...(await importStatuses()).values()].every((s) => s === 'succeeded' || s === 'failed'), 120_000);
    await expectImportsComplete();
    const mails = await expectMessagesSettled();
    console.log(`      worker closed in ${closeMs} ms with imports ${atExit.join('/')}; the new worker finished the rest: ${imports.length} imports succeeded, ${mails.sent} messages sent once, ${mails.unknown} unknown in all`);
  });

  it('SIGTERM to the API under a steady stream of requests: the requests it took are answered, and it exits 0', async () => {
    const need = await conn.collection('deviceneeds').findOne({}, { projection: { referenceCode: 1 } });
    const lookups = [
      () => call('GET', `/api/imports/${imports[0]!.id}`),
      () => call('GET', '/api/imports'),
      () => call('GET', `/api/device-needs?institution=${imports[1]!.institution}`),
      () => call('POST', '/api/status', { referenceCode: need!.referenceCode }),
    ];
    const results: Outcome[] = [];
    let stop = false;
    let termAt = Infinity;
    // Four clients, each sending its next request as soon as the last is answered, until the API is gone.
    const clients = lookups.map(async (send) => {
      while (!stop) {
        const r = await send();
        results.push(r);
        if (r.error === 'ECONNREFUSED') break;
      }
    });
    await eventually('load running', async () => results.length >= 40, 30_000);
    termAt = Date.now();
    api.kill('SIGTERM');
    const code = await exited(api);
    const exitMs = Date.now() - termAt;
    stop = true;
    await Promise.all(clients);

    expect(code, api.log()).to.equal(0);
    const answered = results.filter((r) => r.status !== undefined);
    const failures = results.filter((r) => r.error !== undefined && r.error !== 'ECONNREFUSED');
    // A refused connection was never taken; anything else (reset, hang-up, timeout) lost a request it took.
    expect(failures, 'no request the API took was cut off').to.deep.equal([]);
    expect(answered.filter((r) => r.status !== 200), 'each answered 200').to.deep.equal([]);
    expect(exitMs, 'exits promptly, not after the keep-alive timeout').to.be.below(20_000);
    console.log(`      ${answered.length} requests answered 200 under load, ${results.length - answered.length} refused after the close; exited 0 in ${exitMs} ms`);
  });
});
