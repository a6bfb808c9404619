import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Types } from 'mongoose';
import { projectRoot } from '../../src/config.ts';
import { findFreePort } from '../../src/infra/processes.ts';
import { addEmbeddedLookupIndexes } from '../../src/infra/ferretdb.ts';
import { readBackend } from '../../src/infra/ferretdbBackend.ts';
import { workerArgs } from '../../jobs/nodeFlags.ts';
import { saveInstitution } from '../../src/institutions/service.ts';
import { createUser } from '../../src/users/service.ts';
import { createApiToken } from '../../src/auth/tokens.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { DomainEventModel } from '../../src/events/model.ts';
import { hashPersonalCode } from '../../src/pupils/personalCodes.ts';
import { parsePersonalCode } from '../../imports/personalCode.ts';
import { newReferenceCode } from '../../src/devices/referenceCode.ts';
import { cpuSeconds, cpuShares, postgresBackends, snapshot, type CpuSnapshot, type Watched } from './cpu.ts';
import { benchScratch } from './scratch.ts';
import { deviceNeedsWorkbook, pupilRows, type ListRow } from './stormWorkbook.ts';
import { rssMiB, statusLimitsOutOfReach, stopChildren, waitReady } from './processes.ts';

/**
 * The worst morning: N principals (one per institution) upload M-row device-needs lists at the
 * same moment (applied, not previews) while parents keep asking the status page, all through the
 * real API (src/server.ts) and one real worker (jobs/worker.ts) on the embedded FerretDB and Redis.
 * The status page is first measured quiet, then during the storm, by the same load generator
 * (statusLoad.ts, a process of its own). Afterwards every list is checked in the database: each
 * pupil of each list there once, in its institution, with one need; no personal code twice.
 *
 *   scripts/bench/storm [PRINCIPALS] [ROWS] [QUIET_SECONDS]
 */
const principals = Number(process.argv[2] ?? 50);
const rows = Number(process.argv[3] ?? 1000);
const quietSeconds = Number(process.argv[4] ?? 10);
// The parents' side: as the status bench (50 keep-alive clients, each asking again on an answer).
const concurrency = 50;
const warmupMs = 2000;
const unknownShare = 0.05;
// The needs the parents ask about, registered by one list uploaded before the storm.
const seedRows = 5000;
// How often each principal's page asks whether its import is done.
const pollMs = 1000;
const stormTimeoutMs = 30 * 60_000;

const system = { kind: 'system' as const, name: 'bench' };
const scratch = benchScratch('storm');
const { dataDir } = scratch;
const children = new Set<ChildProcess>();




/** Resets a process's VmHWM to its resident set now (Linux ≥ 4.0); false where not allowed. */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

type ImportView = { status: string; summary?: Record<string, number>; failure?: unknown };

/** Uploads a list as `token`'s principal and returns the import's id (202), else throws. */
async function upload(base: string, token: string, bytes: Buffer, name: string): Promise<string> {
  const form = new FormData();
  form.set('kind', 'device-needs');
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(base + '/api/imports', { method: 'POST', body: form, headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(120_000) });
  if (res.status !== 202) throw new Error(`upload of ${name} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Asks for the import every `everyMs`, as the principal's page does, until it succeeded or failed. */
async function pollUntilDone(base: string, token: string, id: string, everyMs: number, deadline: number): Promise<ImportView & { seenAt: number }> {
  for (;;) {
    const res = await fetch(`${base}/api/imports/${id}`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) }).catch((err: Error) => {
      throw new Error(`import ${id}: the API did not answer its page in 60 s (${err.message})`);
    });
    if (res.ok) {
      const body = (await res.json()) as ImportView;
      if (body.status === 'succeeded' || body.status === 'failed') return { ...body, seenAt: performance.now() };
    } else if (res.status !== 429) {
      throw new Error(`import ${id} answered ${res.status}: ${await res.text()}`);
    }
    if (performance.now() > deadline) throw new Error(`import ${id} not done in ${stormTimeoutMs / 60_000} minutes`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type LoadResult = { requests: number; measured: number; seconds: number; perSecond: number; p50: number; p90: number; p99: number; max: number; known: number; unknown: number; errors: number; unanswered: number; samples: string[] };

/**
 * The parents: starts statusLoad.ts, warms up, then measures while `during` runs (a quiet wait or
 * the storm itself), with where the CPU went meanwhile.
 */
async function parents<T>(url: string, codesFile: string, watched: Watched, during: () => Promise<T>): Promise<{ load: LoadResult & { cpu: string }; value: T }> {
  const settings = { url, concurrency, codesFile, unknownShare, expect: 'lookup' };
  const p = spawn(process.execPath, [path.join(projectRoot, 'scripts', 'bench', 'statusLoad.ts'), JSON.stringify(settings)], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(p);
  let out = '';
  p.stdout!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
  const withLoad: Watched = () => ({ ...watched(), 'load generator': [p.pid!] });
  try {
    await new Promise((r) => setTimeout(r, warmupMs));
    p.stdin!.write('measure\n');
    const first: CpuSnapshot = snapshot(withLoad);
    let value: T;
    try {
      value = await during();
    } finally {
      p.stdin!.write('stop\n');
    }
    const last = snapshot(withLoad);
    const code = await exited;
    if (code !== 0) throw new Error(`load generator exited ${code}`);
    const load = JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadResult;
    return { load: { ...load, cpu: cpuShares(first, last, load.measured) }, value };
  } finally {
    children.delete(p);
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGTERM');
      await exited;
    }
  }
}

type Principal = { code: string; institution: Types.ObjectId; token: string; list: ListRow[]; bytes?: Buffer };

/** Institutions, one principal each with an API token, and the lists they will upload. */
async function makePrincipals(prefix: string, lists: ListRow[][]): Promise<Principal[]> {
  const out: Principal[] = [];
  for (const [i, list] of lists.entries()) {
    const code = `${prefix}${String(i).padStart(3, '0')}`;
    const { institution } = await saveInstitution(system, { code, name: `Liepājas ${i + 1}. vidusskola`, type: 'school' });
    const email = `direktors-${code.toLowerCase()}@storm.lv`;
    await createUser(system, { email, password: `storm-password-${i}`, role: 'principal', institution: code, name: `Direktors ${i}` });
    const { token } = await createApiToken(system, email, 'storm');
    out.push({ code, institution: institution._id as Types.ObjectId, token, list });
  }
  return out;
}

type Check = { pupils: number; needs: number; events: number; lost: number; doubled: number; wrongPlace: number };

/**
 * What one list left in the database: its pupils and needs counted, each expected personal code
 * looked for (missing, or without a need: lost), and records beyond one per code (doubled).
 */
async function checkList(key: Buffer, p: Principal, everywhere: Map<string, string[]>): Promise<Check> {
  const pupils = await PupilModel.collection.find({ institution: p.institution }, { projection: { personalCodeHash: 1 } }).toArray();
  const needs = await DeviceNeedModel.collection.find({ institution: p.institution }, { projection: { pupil: 1 } }).toArray();
  const events = await DomainEventModel.countDocuments({ institution: p.institution, type: 'device.need_registered' });
  const byHash = new Map<string, string[]>();
  for (const x of pupils) byHash.set(x.personalCodeHash as string, [...(byHash.get(x.personalCodeHash as string) ?? []), String(x._id)]);
  const needsOf = new Map<string, number>();
  for (const n of needs) needsOf.set(String(n.pupil), (needsOf.get(String(n.pupil)) ?? 0) + 1);
  let lost = 0;
  let doubled = 0;
  let wrongPlace = 0;
  const expected = new Set<string>();
  for (const row of p.list) {
    const parsed = parsePersonalCode(row.code);
    if (!parsed.ok) throw new Error(`the bench made an invalid personal code ${row.code}`);
    const hash = hashPersonalCode(key, parsed.value.code);
    expected.add(hash);
    const ids = byHash.get(hash) ?? [];
    if (ids.length === 0 || !ids.some((id) => needsOf.get(id))) lost += 1;
    if (ids.length === 0 && (everywhere.get(hash)?.length ?? 0) > 0) wrongPlace += 1;
  }
  for (const [hash, ids] of byHash) {
    if (!expected.has(hash)) doubled += ids.length;
    else doubled += ids.length - 1;
    for (const id of ids) doubled += Math.max(0, (needsOf.get(id) ?? 0) - 1);
  }
  return { pupils: pupils.length, needs: needs.length, events, lost, doubled, wrongPlace };
}

const fmt = (ms: number) => ms.toFixed(1);
const bench = (name: string, value: string, unit: string, op: string, target: number, ok: boolean) =>
  console.log(`BENCH storm.${name} ${value} ${unit} target ${op} ${target} ${ok ? 'pass' : 'miss'}`);

let failed = false;
try {
  const mongo = await scratch.startDatabase();
  await addEmbeddedLookupIndexes(dataDir);
  const { server: redisServer } = await scratch.startRedis();

  console.log(`storm: ${principals} principals × ${rows} rows, ${concurrency} parents asking the status page (${unknownShare * 100}% unknown codes)`);
  const pupils = pupilRows(principals * rows + seedRows);
  const lists = Array.from({ length: principals }, (_, i) => pupils.slice(i * rows, (i + 1) * rows));
  const seedList = pupils.slice(principals * rows);
  const everyone = await makePrincipals('STORM', lists);
  const [seeder] = await makePrincipals('SEED', [seedList]);
  for (const p of everyone) p.bytes = await deviceNeedsWorkbook(`${p.code} saraksts`, p.list);
  const seedBytes = await deviceNeedsWorkbook('Sēklas saraksts', seedList);
  console.log(`lists: ${principals} × ${(everyone[0]!.bytes!.length / 1024).toFixed(0)} KiB`);

  const key = randomBytes(32).toString('base64url');
  const apiPort = await findFreePort();
  const env = {
    ...process.env,
    MONGODB_URI: mongo.uri,
    REDIS_URL: redisServer.url,
    DATA_DIR: dataDir,
    PORT: String(apiPort),
    LOG_LEVEL: 'warn',
    PERSONAL_CODE_KEY: key,
    ...statusLimitsOutOfReach,
  };
  scratch.onCleanup(() => stopChildren(children));
  const api = spawn(process.execPath, [path.join(projectRoot, 'src', 'server.ts')], { env, stdio: 'inherit' });
  children.add(api);
  const worker = spawn(process.execPath, workerArgs(path.join(projectRoot, 'jobs', 'worker.ts')), { env, stdio: 'inherit' });
  children.add(worker);
  const base = `http://127.0.0.1:${apiPort}`;
  await waitReady(base);

  // The needs the parents ask about: one list registered before the storm, through the same path.
  const seedStart = performance.now();
  const seedId = await upload(base, seeder!.token, seedBytes, 'seed.xlsx');
  const seeded = await pollUntilDone(base, seeder!.token, seedId, 200, performance.now() + stormTimeoutMs);
  if (seeded.status !== 'succeeded') throw new Error(`the seed list ${seeded.status}: ${JSON.stringify(seeded.failure)}`);
  console.log(`seed list: ${seedRows} needs registered in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  const known = (await DeviceNeedModel.collection.find({ institution: seeder!.institution }, { projection: { referenceCode: 1, firstName: 1, status: 1 } }).toArray()).map(
    (n) => [n.referenceCode as string, n.firstName as string, n.status as string] as const,
  );
  const knownCodes = new Set(known.map((k) => k[0]));
  const unknown: string[] = [];
  while (unknown.length < 500) {
    const code = newReferenceCode();
    if (!knownCodes.has(code)) unknown.push(code);
  }
  const codesFile = path.join(dataDir, 'codes.json');
  fs.writeFileSync(codesFile, JSON.stringify({ known, unknown }));

  const backend = readBackend(path.join(dataDir, 'ferretdb', 'backend.json'));
  const pgDatabase = backend?.handler === 'pg' ? backend.database : undefined;
  const redisPid = redisServer.pid ?? Number(spawnSync('pgrep', ['-f', '-o', `redis-server .*:${new URL(redisServer.url).port}`], { encoding: 'utf8' }).stdout.trim() || 0);
  const watched: Watched = () => ({
    api: [api.pid!],
    worker: [worker.pid!],
    ferretdb: [mongo.pid],
    postgresql: pgDatabase ? postgresBackends(pgDatabase) : [],
    redis: redisPid ? [redisPid] : [],
  });
  const statusUrl = `${base}/api/status`;

  // The seed list's registrations become messages to the guardians in the worker; quiet means
  // after that, when the worker has been nearly idle for two seconds (or after three minutes).
  const settleStart = performance.now();
  for (let idle = 0, last = cpuSeconds(worker.pid!); idle < 2 && performance.now() - settleStart < 180_000; ) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(worker.pid!);
    idle = now - last < 0.05 ? idle + 1 : 0;
    last = now;
  }
  console.log(`worker settled after the seed list in ${((performance.now() - settleStart) / 1000).toFixed(0)} s`);
  console.log(`quiet: ${warmupMs / 1000} s warm-up, then ${quietSeconds} s measured`);
  const quiet = (await parents(statusUrl, codesFile, watched, () => new Promise((r) => setTimeout(r, quietSeconds * 1000)))).load;

  // The storm. The worker's peak resident set is counted from here (the seed list is not in it).
  const peakReset = resetPeak(worker.pid!);
  const idleRss = rssMiB(worker.pid!, 'VmRSS');
  let sampledPeak = idleRss;
  const sampler = setInterval(() => {
    try {
      sampledPeak = Math.max(sampledPeak, rssMiB(worker.pid!, 'VmRSS'));
    } catch {
      // the worker is gone; the storm will say so
    }
  }, 200);
  console.log(`storm: ${principals} uploads at once while the parents ask (${warmupMs / 1000} s warm-up first)`);
  let stormStartedAt = new Date();
  let stormStart = 0;
  let uploadsDone = 0;
  const storm = await parents(statusUrl, codesFile, watched, async () => {
    stormStart = performance.now();
    stormStartedAt = new Date();
    const deadline = stormStart + stormTimeoutMs;
    return Promise.all(
      everyone.map(async (p) => {
        const id = await upload(base, p.token, p.bytes!, `${p.code}.xlsx`);
        const uploadedAt = performance.now();
        uploadsDone = Math.max(uploadsDone, uploadedAt);
        const done = await pollUntilDone(base, p.token, id, pollMs, deadline);
        return { p, id, uploadedAt, ...done };
      }),
    );
  }).finally(() => clearInterval(sampler));
  const outcomes = storm.value;
  const workerPeak = peakReset ? rssMiB(worker.pid!, 'VmHWM') : sampledPeak;

  // When the worker finished each import, from its records (the pages' polling adds up to a second).
  const records = await ImportModel.find({ _id: { $in: outcomes.map((o) => o.id) } }).lean();
  const lastFinished = Math.max(...records.map((r) => r.finishedAt?.getTime() ?? Date.now()));
  const allDoneS = (lastFinished - stormStartedAt.getTime()) / 1000;
  const lastSeenS = (Math.max(...outcomes.map((o) => o.seenAt)) - stormStart) / 1000;
  const runs = records.map((r) => ((r.finishedAt?.getTime() ?? 0) - (r.startedAt?.getTime() ?? 0)) / 1000).sort((a, b) => a - b);
  const succeeded = outcomes.filter((o) => o.status === 'succeeded' && o.summary?.created === rows && o.summary?.rejected === 0).length;
  for (const o of outcomes) {
    if (o.status !== 'succeeded') console.error(`${o.p.code}: import ${o.status} ${JSON.stringify(o.failure)}`);
    else if (o.summary?.created !== rows || o.summary?.rejected !== 0) console.error(`${o.p.code}: succeeded with ${JSON.stringify(o.summary)}, expected ${rows} created`);
  }
  const retried = records.filter((r) => (r.attempts ?? 0) > 1).length;

  // The database afterwards: every list's pupils once, in their institution, each with one need.
  const everywhere = new Map<string, string[]>();
  for (const x of await PupilModel.collection.find({}, { projection: { personalCodeHash: 1 } }).toArray()) {
    everywhere.set(x.personalCodeHash as string, [...(everywhere.get(x.personalCodeHash as string) ?? []), String(x._id)]);
  }
  const twiceAnywhere = [...everywhere.values()].filter((ids) => ids.length > 1).length;
  let lost = 0;
  let doubled = twiceAnywhere;
  let wrongPlace = 0;
  let events = 0;
  const counts: string[] = [];
  for (const p of everyone) {
    const c = await checkList(Buffer.from(key, 'utf8'), p, everywhere);
    lost += c.lost;
    doubled += c.doubled;
    wrongPlace += c.wrongPlace;
    events += c.events;
    if (c.pupils !== rows || c.needs !== rows || c.lost || c.doubled) counts.push(`${p.code}: ${c.pupils} pupils, ${c.needs} needs, ${c.lost} lost, ${c.doubled} doubled`);
  }

  console.log('');
  console.log(`uploads: all ${principals} accepted ${((uploadsDone - stormStart) / 1000).toFixed(2)} s after the first began`);
  console.log(`imports: ${succeeded}/${principals} succeeded with ${rows} created each; ${retried} retried by the queue`);
  console.log(`first upload to last succeeded: ${allDoneS.toFixed(1)} s by the worker's records, ${lastSeenS.toFixed(1)} s as the principals' pages saw it (polling every ${pollMs / 1000} s)`);
  console.log(`one import's run in the worker: median ${runs[Math.floor(runs.length / 2)]!.toFixed(2)} s, max ${runs.at(-1)!.toFixed(2)} s (one at a time: the rest wait in the queue)`);
  console.log(`database: ${principals * rows} pupils and needs expected; lost ${lost}, doubled ${doubled} (personal codes stored twice anywhere: ${twiceAnywhere}; in another institution: ${wrongPlace}); registration events ${events} (expected ${principals * rows})`);
  for (const line of counts.slice(0, 10)) console.log(`  ${line}`);
  console.log(`worker resident set: ${idleRss.toFixed(0)} MiB before the storm, peak ${workerPeak.toFixed(0)} MiB during it${peakReset ? '' : ' (sampled every 0.2 s)'}`);
  const row = (name: string, r: LoadResult) =>
    `${name.padEnd(22)}${r.perSecond.toFixed(0).padStart(10)}${fmt(r.p50).padStart(9)}${fmt(r.p90).padStart(9)}${fmt(r.p99).padStart(9)}${fmt(r.max).padStart(9)}${r.seconds.toFixed(1).padStart(8)}${String(r.errors).padStart(7)}`;
  console.log(`${'status page'.padEnd(22)}${'lookups/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p90 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'secs'.padStart(8)}${'wrong'.padStart(7)}`);
  console.log(row('quiet', quiet));
  console.log(row('during the storm', storm.load));
  console.log(`CPU in cores, quiet: ${quiet.cpu}`);
  console.log(`CPU in cores, storm: ${storm.load.cpu}`);

  for (const [name, r] of [['quiet', quiet], ['storm', storm.load]] as const) {
    if (r.errors > 0 || r.unanswered > 0 || r.measured === 0) {
      failed = true;
      console.error(`status page, ${name}: ${r.errors} wrong or failed answers of ${r.requests}, ${r.unanswered} unanswered at the end:\n  ${r.samples.join('\n  ')}`);
    }
  }
  if (succeeded !== principals || lost || doubled) failed = true;

  console.log('');
  bench('imports_succeeded', String(succeeded), 'imports', '>=', principals, succeeded >= principals);
  bench('rows_lost', String(lost), 'rows', '<', 1, lost < 1);
  bench('rows_doubled', String(doubled), 'rows', '<', 1, doubled < 1);
  bench('all_done_s', allDoneS.toFixed(1), 's', '<', 120, allDoneS < 120);
  bench('status_p50_quiet', fmt(quiet.p50), 'ms', '>=', 0, true);
  bench('status_p99_quiet', fmt(quiet.p99), 'ms', '<', 50, quiet.p99 < 50);
  bench('status_rps_quiet', quiet.perSecond.toFixed(0), '/s', '>=', 1000, quiet.perSecond >= 1000);
  bench('status_p50_during', fmt(storm.load.p50), 'ms', '>=', 0, true);
  bench('status_p99_during', fmt(storm.load.p99), 'ms', '<', 50, storm.load.p99 < 50);
  bench('status_rps_during', storm.load.perSecond.toFixed(0), '/s', '>=', 1000, storm.load.perSecond >= 1000);
  bench('status_wrong_answers', String(quiet.errors + storm.load.errors), 'answers', '<', 1, quiet.errors + storm.load.errors < 1);
  bench('worker_peak_rss_mib', workerPeak.toFixed(0), 'MiB', '<', 300, workerPeak < 300);
} catch (err) {
  failed = true;
  // After a signal the cleanup ends the children, and what that breaks here is no news.
  if (!scratch.cleaning()) console.error((err as Error).stack ?? (err as Error).message);
} finally {
  await scratch.cleanup();
}
process.exit(failed ? 1 : 0);
