import http from 'node:http';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createRedis } from '../../src/redis.ts';
import { addEmbeddedLookupIndexes } from '../../src/infra/ferretdb.ts';
import { readBackend } from '../../src/infra/ferretdbBackend.ts';
import { UserModel } from '../../src/auth/model.ts';
import { hashPassword } from '../../src/auth/password.ts';
import { createApiToken } from '../../src/auth/tokens.ts';
import { GroupModel, InstitutionModel } from '../../src/institutions/model.ts';
import { AttendanceDayStampModel, AttendanceDaySummaryModel, AttendanceModel, GroupSeatsModel } from '../../src/kindergartens/model.ts';
import { addUp, touchDays, type DayFigures } from '../../src/kindergartens/daySummaries.ts';
import { addDays, daysBetween, rigaMoment, rigaToday } from '../../src/shared/dates.ts';
import { cpuShares, postgresBackends, snapshot, type Watched } from './cpu.ts';
import { benchScratch } from './scratch.ts';
import { dailyReturnDoc } from './dailyReturns.ts';

/**
 * The base-kindergarten monitoring view and occupancy chart on a city's worth of returns: 200 base
 * kindergartens × 5 groups × 180 days (one return per group and day, 180,000 records; today's
 * missing for about a tenth of the groups), through the real app (buildApp, listening on a free
 * port) with a coordinator's bearer token. Requests are sent one at a time, as one coordinator
 * opens the page: a few warm-up requests, then REQUESTS timed ones per endpoint (median and p95).
 * The first occupancy request of each period adds up day summaries that are not yet kept; it is
 * reported on its own. Every answer is checked against figures computed while seeding.
 *
 *   scripts/bench/attendance [KINDERGARTENS] [DAYS] [REQUESTS]
 */
const kindergartenCount = Number(process.argv[2] ?? 200);
const dayCount = Number(process.argv[3] ?? 180);
const requestCount = Number(process.argv[4] ?? 50);
const groupsPerKindergarten = 5;
const warmups = 3;
// Institutions the monitoring view must leave out: schools, and kindergartens never designated.
const schoolCount = 60;
const plainKindergartenCount = 40;
const missingTodayShare = 0.1;
const overCapacityShare = 0.004;
const batch = 1000;
const targetMs = 300;

const groupNames = ['Saulīte', 'Zīlīte', 'Lācītis', 'Mārīte', 'Zvaigznīte', 'Pūcīte', 'Bitīte'];
const rnd = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

const today = rigaToday();
const days = daysBetween(addDays(today, -(dayCount - 1)), today);

type SeedGroup = { _id: Types.ObjectId; institution: Types.ObjectId; name: string; capacity: number; placed: number };
type Seeded = { figures: Map<string, DayFigures>; today: { groups: number; missing: number; overCapacity: number; present: number; capacity: number }; records: number };

async function insertInBatches(collection: { insertMany(docs: any[], opts: { ordered: boolean }): Promise<unknown> }, docs: unknown[]): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) await collection.insertMany(docs.slice(i, i + batch), { ordered: false });
}

/** Seeds through the models' collections in bulk, with every field the schemas would set. */
async function seed(): Promise<Seeded> {
  const now = new Date();
  const institutions = [];
  const kindergartens: Types.ObjectId[] = [];
  for (let i = 0; i < kindergartenCount + plainKindergartenCount + schoolCount; i++) {
    const _id = new Types.ObjectId();
    const kind = i < kindergartenCount ? 'base' : i < kindergartenCount + plainKindergartenCount ? 'plain' : 'school';
    if (kind === 'base') kindergartens.push(_id);
    institutions.push({
      _id,
      code: `K${String(i).padStart(4, '0')}`,
      name: kind === 'school' ? `Rīgas ${i + 1}. vidusskola` : `Rīgas ${i + 1}. pirmsskolas izglītības iestāde`,
      type: kind === 'school' ? 'school' : 'kindergarten',
      address: `Skolas iela ${i + 1}, Rīga`,
      // Base from before the first day of returns, open-ended for most, to a day ahead for some.
      basePeriods: kind === 'base' ? [{ from: addDays(days[0]!, -rnd(0, 10)), to: i % 7 ? null : addDays(today, 30) }] : [],
      createdAt: now,
      updatedAt: now,
      __v: 0,
    });
  }
  await insertInBatches(InstitutionModel.collection, institutions);

  const groups: SeedGroup[] = [];
  for (const institution of kindergartens) {
    const names = [...groupNames].sort(() => Math.random() - 0.5).slice(0, groupsPerKindergarten);
    for (const [j, name] of names.entries()) {
      const capacity = rnd(15, 25);
      groups.push({ _id: new Types.ObjectId(), institution, name: `${j + 1}. ${name}`, capacity, placed: rnd(Math.floor(capacity / 2), capacity) });
    }
  }
  await insertInBatches(
    GroupModel.collection,
    groups.map((g) => ({ _id: g._id, institution: g.institution, name: g.name, capacity: g.capacity, createdAt: now, updatedAt: now, __v: 0 })),
  );
  await insertInBatches(
    GroupSeatsModel.collection,
    groups.map((g) => ({ _id: new Types.ObjectId(), group: g._id, placed: Array.from({ length: g.placed }, () => new Types.ObjectId()), version: g.placed })),
  );

  const figures = new Map<string, DayFigures>();
  const todayFigures = { groups: groups.length, missing: 0, overCapacity: 0, present: 0, capacity: 0 };
  let records = 0;
  const heads = kindergartens.map(() => `user:${new Types.ObjectId()}`);
  const headOf = new Map(kindergartens.map((k, i) => [String(k), heads[i]!]));
  for (const day of days) {
    const docs = [];
    const rows: Array<{ registered: number; present: number; capacity: number }> = [];
    for (const g of groups) {
      if (day === today && Math.random() < missingTodayShare) {
        todayFigures.missing += 1;
        continue;
      }
      const registered = g.placed;
      const over = Math.random() < overCapacityShare;
      const present = over ? g.capacity + rnd(1, 3) : Math.round(registered * (0.6 + Math.random() * 0.4));
      const late = Math.random() < 0.03;
      const at = new Date(rigaMoment(day, late ? '10:40' : '08:15').getTime() + rnd(0, 90) * 60_000);
      const by = headOf.get(String(g.institution))!;
      // A few heads count by ticking the children present.
      const presentChildren = Math.random() < 0.1 ? Array.from({ length: Math.min(present, g.placed) }, () => new Types.ObjectId()) : undefined;
      docs.push(dailyReturnDoc({ institution: g.institution, group: g._id, day, registered, present, capacity: g.capacity, at, by, late, presentChildren }));
      rows.push({ registered, present, capacity: g.capacity });
      if (day === today) {
        todayFigures.present += present;
        if (present > g.capacity) todayFigures.overCapacity += 1;
      }
    }
    figures.set(day, addUp(day, rows));
    records += docs.length;
    await insertInBatches(AttendanceModel.collection, docs);
  }
  todayFigures.capacity = groups.reduce((s, g) => s + g.capacity, 0);
  // Writers of returns stamp their day (touchDays); a day without a stamp shows no returns.
  await AttendanceDayStampModel.collection.insertMany(days.map((day) => ({ _id: new Types.ObjectId(), day, stamp: randomUUID() })));
  return { figures, today: todayFigures, records };
}

/** A coordinator and their API token, as `scripts/cli.ts` would make them. */
async function coordinatorToken(): Promise<string> {
  const email = `coordinator-${randomBytes(3).toString('hex')}@bench.lv`;
  await UserModel.create({ email, name: 'Bench Coordinator', passwordHash: await hashPassword(randomBytes(16).toString('hex')), role: 'coordinator' });
  return (await createApiToken({ kind: 'cli' }, email, 'bench')).token;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
// Nearest rank: the smallest value with at least 95% of the samples at or below it.
const p95 = (xs: number[]) => sorted(xs)[Math.ceil(xs.length * 0.95) - 1]!;

type Timed = { ms: number; status: number; body: string };

async function get(url: string, token: string): Promise<Timed> {
  const start = performance.now();
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json, text/html' } });
  const body = await res.text();
  return { ms: performance.now() - start, status: res.status, body };
}

/** Warm-up requests, then `requestCount` timed ones, each answer checked by `check`. */
async function measure(url: string, token: string, check: (r: Timed) => void, before?: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmups; i++) check(await get(url, token));
  const times: number[] = [];
  for (let i = 0; i < requestCount; i++) {
    if (before) await before();
    const r = await get(url, token);
    check(r);
    times.push(r.ms);
  }
  return times;
}

const scratch = benchScratch('attendance');

let failed = false;
try {
  const mongo = await scratch.startDatabase();
  await addEmbeddedLookupIndexes(scratch.dataDir);
  const { server: redisServer, prefix: redisPrefix } = await scratch.startRedis();
  const redis = createRedis(redisServer.url);
  scratch.onCleanup(async () => redis.disconnect());

  console.log(`seeding ${kindergartenCount} base kindergartens × ${groupsPerKindergarten} groups × ${dayCount} days of returns (${days[0]} to ${today}), plus ${plainKindergartenCount} other kindergartens and ${schoolCount} schools...`);
  const seedStart = performance.now();
  const seeded = await seed();
  const seedS = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${seeded.records} returns in ${seedS.toFixed(1)} s (today: ${seeded.today.missing} of ${seeded.today.groups} groups without a return, ${seeded.today.overCapacity} over capacity)`);

  // A database that has served returns for months has had its tables vacuumed and analysed;
  // right after a bulk load, autovacuum would do that in the middle of the measurements.
  const backend = readBackend(path.join(scratch.dataDir, 'ferretdb', 'backend.json'));
  if (backend?.handler === 'pg') {
    const settleStart = performance.now();
    const client = new pg.Client({ connectionString: backend.url });
    await client.connect();
    try {
      await client.query('VACUUM ANALYZE');
    } finally {
      await client.end();
    }
    console.log(`VACUUM ANALYZE in ${((performance.now() - settleStart) / 1000).toFixed(1)} s`);
  }

  const token = await coordinatorToken();
  const config = loadConfig({ DATA_DIR: scratch.dataDir, LOG_LEVEL: 'warn', SESSION_SECRET: randomBytes(24).toString('hex'), PERSONAL_CODE_KEY: randomBytes(24).toString('hex') });
  const app = buildApp({ config, redis, redisPrefix, sessionSecret: config.sessionSecret!, logger: createLogger('warn', 'bench'), importQueue: { enqueueImport: async () => {} }, messageQueue: { enqueue: async () => {} } });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scratch.onCleanup(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const watched: Watched = () => ({ 'this process (app and client)': [process.pid], ferretdb: [mongo.pid], postgresql: backend?.handler === 'pg' ? postgresBackends(backend.database) : [] });

  // The monitoring view for today, checked against what was seeded.
  const checkMonitoring = (r: Timed) => {
    if (r.status !== 200) throw new Error(`monitoring: ${r.status} ${r.body.slice(0, 300)}`);
    const { day, kindergartens, totals } = JSON.parse(r.body) as { day: string; kindergartens: unknown[]; totals: Record<string, number> };
    const want = { kindergartens: kindergartenCount, groups: seeded.today.groups, missing: seeded.today.missing, overCapacity: seeded.today.overCapacity, present: seeded.today.present, capacity: seeded.today.capacity };
    const got = Object.fromEntries(Object.keys(want).map((k) => [k, totals[k]]));
    if (day !== today || kindergartens.length !== kindergartenCount || JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(`monitoring: ${day} ${JSON.stringify(got)}, expected ${today} ${JSON.stringify(want)}`);
    }
  };
  // The occupancy chart: every day's figures exactly as the seeded returns add up.
  const checkOccupancy = (from: string) => (r: Timed) => {
    if (r.status !== 200) throw new Error(`occupancy: ${r.status} ${r.body.slice(0, 300)}`);
    const got = (JSON.parse(r.body) as { days: DayFigures[] }).days;
    const want = daysBetween(from, today).map((d) => seeded.figures.get(d) ?? addUp(d, []));
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      const i = got.findIndex((g, k) => JSON.stringify(g) !== JSON.stringify(want[k]));
      throw new Error(`occupancy from ${from}: ${got.length} days, day ${i}: ${JSON.stringify(got[i])}, expected ${want.length} days, ${JSON.stringify(want[i])}`);
    }
  };

  const results: Array<{ name: string; label: string; times: number[] }> = [];

  // Where the monitoring view's time goes: CPU per request of each process while it is measured.
  const monitoringUrl = `${base}/api/kindergartens/monitoring?day=${today}`;
  const before = snapshot(watched);
  results.push({ name: 'monitoring', label: `GET /api/kindergartens/monitoring?day=${today}`, times: await measure(monitoringUrl, token, checkMonitoring) });
  const monitoringCpu = cpuShares(before, snapshot(watched), warmups + requestCount);

  // Six weeks, the chart's default: the first request adds up 42 days, the next ones read summaries.
  const sixWeeksFrom = addDays(today, -41);
  const sixWeeksUrl = `${base}/api/kindergartens/occupancy?from=${sixWeeksFrom}&to=${today}`;
  await AttendanceDaySummaryModel.deleteMany({});
  const cold6 = await get(sixWeeksUrl, token);
  checkOccupancy(sixWeeksFrom)(cold6);
  results.push({ name: 'occupancy_6w', label: `GET /api/kindergartens/occupancy (6 weeks, ${sixWeeksFrom} to ${today})`, times: await measure(sixWeeksUrl, token, checkOccupancy(sixWeeksFrom)) });

  // The page the coordinator opens every morning (the day's view beside the six-week chart), once
  // it exists (skipped while the route answers 404).
  const page = await get(`${base}/kindergartens`, token);
  if (page.status === 200) {
    const checkPage = (r: Timed) => {
      // Every base kindergarten is listed (the first one's name stands for them).
      if (r.status !== 200 || !r.body.includes('</html>') || !r.body.includes('Rīgas 1. pirmsskolas izglītības iestāde')) throw new Error(`page: ${r.status} ${r.body.slice(0, 300)}`);
    };
    results.push({ name: 'monitoring_page', label: 'GET /kindergartens', times: await measure(`${base}/kindergartens`, token, checkPage) });
  } else console.log(`GET /kindergartens answered ${page.status}: the page is not measured`);

  // The whole period from nothing kept: every day added up from its returns.
  await AttendanceDaySummaryModel.deleteMany({});
  const wholeUrl = `${base}/api/kindergartens/occupancy?from=${days[0]}&to=${today}`;
  const cold180 = await get(wholeUrl, token);
  checkOccupancy(days[0]!)(cold180);
  results.push({ name: `occupancy_${dayCount}d`, label: `GET /api/kindergartens/occupancy (${dayCount} days, ${days[0]} to ${today})`, times: await measure(wholeUrl, token, checkOccupancy(days[0]!)) });

  // A morning while returns come in: each chart request follows a return for today, so today's
  // summary is stale and added up again (touchDays is what a return does after writing).
  results.push({
    name: 'occupancy_6w_after_return',
    label: '… 6 weeks, each request after a return for today',
    times: await measure(sixWeeksUrl, token, checkOccupancy(sixWeeksFrom), () => touchDays([today])),
  });

  console.log(`\n${requestCount} requests each, one at a time, after ${warmups} warm-up requests:`);
  console.log(`${''.padEnd(72)}${'median ms'.padStart(10)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}`);
  for (const r of results) console.log(`${r.label.padEnd(72)}${median(r.times).toFixed(1).padStart(10)}${p95(r.times).toFixed(1).padStart(9)}${Math.max(...r.times).toFixed(1).padStart(9)}`);
  console.log(`first (cold) occupancy requests: 6 weeks ${cold6.ms.toFixed(0)} ms (${Math.min(42, dayCount)} days added up), ${dayCount} days ${cold180.ms.toFixed(0)} ms (${dayCount} days added up)`);
  console.log(`CPU while the monitoring view was measured, in cores: ${monitoringCpu}`);

  const line = (name: string, value: number, unit: string, op: string, target: number, pass: boolean) =>
    console.log(`BENCH attendance.${name} ${value.toFixed(1)} ${unit} target ${op} ${target} ${pass ? 'pass' : 'miss'}`);
  const of = (name: string) => results.find((r) => r.name === name)!.times;
  for (const name of ['monitoring', 'monitoring_page', 'occupancy_6w', `occupancy_${dayCount}d`]) {
    const r = results.find((x) => x.name === name);
    if (r) line(`${name}_p95`, p95(r.times), 'ms', '<', targetMs, p95(r.times) < targetMs);
  }
  line('monitoring_median', median(of('monitoring')), 'ms', '>=', 0, true);
  line('occupancy_6w_after_return_p95', p95(of('occupancy_6w_after_return')), 'ms', '>=', 0, true);
  line('occupancy_6w_cold', cold6.ms, 'ms', '>=', 0, true);
  line(`occupancy_${dayCount}d_cold`, cold180.ms, 'ms', '>=', 0, true);
  line('seed_s', seedS, 's', '>=', 0, true);
} catch (err) {
  failed = true;
  if (!scratch.cleaning()) console.error((err as Error).stack ?? (err as Error).message);
} finally {
  await scratch.cleanup();
}
process.exit(failed ? 1 : 0);
