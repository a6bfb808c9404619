import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { loadConfig, projectRoot } from '../../src/config.ts';
import { findFreePort } from '../../src/infra/processes.ts';
import { addEmbeddedLookupIndexes } from '../../src/infra/ferretdb.ts';
import { readBackend } from '../../src/infra/ferretdbBackend.ts';
import { UserModel } from '../../src/auth/model.ts';
import { hashPassword } from '../../src/auth/password.ts';
import { createApiToken } from '../../src/auth/tokens.ts';
import { rigaToday } from '../../src/shared/dates.ts';
import { searchWords } from '../../src/pupils/searchKeys.ts';
import { backfillSearchKeys } from '../../src/pupils/backfill.ts';
import { pick, random, seedInstitutions, seedPupils, type SearchSample, type SeededPupil } from './nationalData.ts';
import { seedKindergartens } from './nationalKindergartens.ts';
import { seedDevices, seedMessages } from './nationalRecords.ts';
import { seedFood } from './nationalFood.ts';
import { cpuShares, postgresBackends, snapshot, type Watched } from './cpu.ts';
import { benchScratch } from './scratch.ts';
import { waitReady } from './processes.ts';

/**
 * The coordinator's morning dashboard and the child search on a national-scale data set: 600
 * institutions (560 schools, 40 kindergartens of which 15 base kindergartens with 4–6 groups and
 * 180 days of returns), 220,000 pupils, 40,000 device needs, 30,000 devices, 20,000 food cards,
 * 4,000 notification messages. The figures are precomputed by refreshDashboard() (timed once here,
 * as the worker runs it every minute); then, through the real API process (src/server.ts) with a
 * coordinator's bearer token, one request at a time on keep-alive connections: GET /dashboard and
 * GET /api/dashboard (after a few warm-up requests, REQUESTS each) and GET /api/pupils?q=… with
 * QUERIES searches mixing first-name prefixes, surnames, name and surname, classes, full personal
 * codes and birth-date prefixes. SCALE multiplies every count (0.1 for a tenth; days stay 180).
 *
 *   scripts/bench/dashboard [SCALE] [REQUESTS] [QUERIES]
 *
 * BENCH_API_NODE_ARGS passes Node options to the API process, e.g. `--cpu-prof --cpu-prof-dir=DIR`.
 */
const scale = Number(process.argv[2] ?? 1);
const requestCount = Number(process.argv[3] ?? 30);
const queryCount = Number(process.argv[4] ?? 200);
const n = (full: number, min = 1) => Math.max(min, Math.round(full * scale));
const counts = { schools: n(560), kindergartens: n(40), base: n(15), pupils: n(220_000, 100), needs: n(40_000, 50), devices: n(30_000, 50), cards: n(20_000, 50), messages: n(4_000, 50), days: 180 };
const warmups = 3;
const dashboardTargetMs = 500;
const searchTargetMs = 100;
const refreshTargetS = 60;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const p50 = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
// Nearest rank: the smallest value with at least 95% of the samples at or below it.
const p95 = (xs: number[]) => sorted(xs)[Math.ceil(xs.length * 0.95) - 1]!;

type Timed = { ms: number; status: number; body: string };
async function get(url: string, token: string, accept: string): Promise<Timed> {
  const start = performance.now();
  // fetch keeps its connections alive between requests.
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: accept } });
  const body = await res.text();
  return { ms: performance.now() - start, status: res.status, body };
}

type Query = { kind: string; q: string; expect?: string };

/**
 * How many seeded pupils a search by name should find: those with every word of the query as the
 * start of a word of their names (as the search keys are made), counted here from the seed.
 */
function pupilsNamed(pupils: SeededPupil[], q: string): number {
  const words = searchWords(q);
  let n = 0;
  for (const p of pupils) {
    const own = [...searchWords(p.firstName), ...searchWords(p.lastName)];
    if (words.every((w) => own.some((o) => o.startsWith(w)))) n += 1;
  }
  return n;
}
const byName = new Set(['first_name_prefix', 'surname', 'name_surname']);
/** The searches, in a shuffled order; a full code must find its pupil (checked by surname). */
function searchQueries(sample: SearchSample): Query[] {
  const kinds: Array<() => Query> = [
    () => ({ kind: 'first_name_prefix', q: pick(['jān', 'anna', 'mar', 'kār', 'emī', 'rob', 'sof', 'dan', 'līv', 'ņik']) }),
    () => ({ kind: 'surname', q: pick(sample.pupils).lastName }),
    () => {
      const p = pick(sample.pupils);
      return { kind: 'name_surname', q: `${p.firstName.toLowerCase()} ${p.lastName.slice(0, 4).toLowerCase()}` };
    },
    () => ({ kind: 'class', q: pick(['9.a', '9.a', '1.b', '12.c', '5.a', '3.b']) }),
    () => {
      const p = pick(sample.pupils);
      return { kind: 'personal_code', q: p.code, expect: p.lastName };
    },
    () => ({ kind: 'birth_prefix', q: pick(sample.birthPrefixes) }),
  ];
  const out = Array.from({ length: queryCount }, (_, i) => kinds[i % kinds.length]!());
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}


const scratch = benchScratch('dashboard');
let failed = false;
try {
  const mongo = await scratch.startDatabase();
  const { server: redisServer } = await scratch.startRedis();

  // The API reads the key as PERSONAL_CODE_KEY and uses its UTF-8 bytes (src/infra/secrets.ts).
  const personalCodeKey = randomBytes(32).toString('base64url');
  const key = Buffer.from(personalCodeKey, 'utf8');
  const now = new Date();
  const today = rigaToday(now);
  console.log(`seeding ${JSON.stringify(counts)} (scale ${scale})...`);
  const seedStart = performance.now();
  const lap = (what: string, since: number) => console.log(`  ${what} in ${((performance.now() - since) / 1000).toFixed(1)} s`);
  let t = performance.now();
  const { schools, kindergartens } = await seedInstitutions(counts.schools, counts.kindergartens, now);
  const { pupils, sample } = await seedPupils(schools, counts.pupils, key, now);
  lap(`${schools.length + kindergartens.length} institutions, ${pupils.length} pupils`, t);
  t = performance.now();
  const kg = await seedKindergartens(kindergartens.slice(0, counts.base), counts.days, today, key, now);
  lap(`${counts.base} base kindergartens: ${kg.groups} groups, ${kg.requests} placement requests, ${kg.returns} daily returns`, t);
  t = performance.now();
  const devices = await seedDevices(pupils, counts.needs, counts.devices, now);
  lap(`${counts.needs} needs, ${counts.devices} devices ${JSON.stringify(devices)}`, t);
  t = performance.now();
  const food = await seedFood(pupils, counts.cards, today, now);
  lap(`food cards ${JSON.stringify(food)}`, t);
  t = performance.now();
  const messages = await seedMessages(pupils, counts.messages, now);
  lap(`notifications ${JSON.stringify(messages)}`, t);
  const seedS = (performance.now() - seedStart) / 1000;
  console.log(`seeded in ${seedS.toFixed(1)} s`);

  // The embedded database's lookup indexes, and the statistics a database in use would have.
  t = performance.now();
  await addEmbeddedLookupIndexes(scratch.dataDir);
  const backend = readBackend(path.join(scratch.dataDir, 'ferretdb', 'backend.json'));
  if (backend?.handler === 'pg') {
    const client = new pg.Client({ connectionString: backend.url });
    await client.connect();
    try {
      await client.query('VACUUM ANALYZE');
    } finally {
      await client.end();
    }
  }
  lap('lookup indexes and VACUUM ANALYZE', t);

  // The API looks for records without search keys when it starts, once per database: done here
  // (there are none), so that scan does not run beside the measurements.
  t = performance.now();
  const backfilled = await backfillSearchKeys();
  lap(`search-key backfill (${backfilled} records without current keys)`, t);

  const email = `coordinator-${randomBytes(3).toString('hex')}@bench.lv`;
  await UserModel.create({ email, name: 'Bench Coordinator', passwordHash: await hashPassword(randomBytes(16).toString('hex')), role: 'coordinator' });
  const token = (await createApiToken({ kind: 'cli' }, email, 'bench')).token;

  // The precomputed figures, as the worker's job makes them (absent until src/dashboard exists).
  const service = await import('../../src/dashboard/service.ts').catch((err: Error & { code?: string }) => {
    if (err.code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  });
  const env = { ...process.env, MONGODB_URI: mongo.uri, REDIS_URL: redisServer.url, DATA_DIR: scratch.dataDir, LOG_LEVEL: 'warn', PERSONAL_CODE_KEY: personalCodeKey };
  // With the API's own settings: a visit counts again itself when the kept figures are for others.
  const staleDays = loadConfig(env).devices.staleStockDays;
  let refreshS: number | null = null;
  if (service) {
    t = performance.now();
    await service.refreshDashboard(staleDays, new Date());
    refreshS = (performance.now() - t) / 1000;
    console.log(`refreshDashboard() in ${refreshS.toFixed(2)} s`);
  } else console.log('src/dashboard/service.ts is not there: no refresh');

  const port = await findFreePort();
  const apiArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = spawn(process.execPath, [...apiArgs, path.join(projectRoot, 'src', 'server.ts')], { env: { ...env, PORT: String(port) }, stdio: 'inherit' });
  scratch.onCleanup(async () => {
    if (api.exitCode !== null || api.signalCode !== null) return;
    const exited = new Promise((r) => api.once('exit', r));
    api.kill('SIGTERM');
    await exited;
  });
  const base = `http://127.0.0.1:${port}`;
  await waitReady(base, api);
  const watched: Watched = () => ({ api: [api.pid!], ferretdb: [mongo.pid], postgresql: backend?.handler === 'pg' ? postgresBackends(backend.database) : [] });

  const results: Array<{ name: string; label: string; times: number[]; cpu: string }> = [];
  const measure = async (name: string, label: string, url: string, accept: string, check: (r: Timed) => void) => {
    for (let i = 0; i < warmups; i++) check(await get(url, token, accept));
    const before = snapshot(watched);
    const times: number[] = [];
    for (let i = 0; i < requestCount; i++) {
      const r = await get(url, token, accept);
      check(r);
      times.push(r.ms);
    }
    results.push({ name, label, times, cpu: cpuShares(before, snapshot(watched), requestCount) });
  };
  const ok = (what: string, html: boolean) => (r: Timed) => {
    if (r.status !== 200 || (html ? !r.body.includes('</html>') : !r.body.startsWith('{'))) throw new Error(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
  };
  const first = await get(`${base}/api/dashboard`, token, 'application/json');
  const dashboardThere = first.status !== 404;
  if (dashboardThere) {
    ok('/api/dashboard', false)(first);
    const { total, matching } = JSON.parse(first.body) as { total: Record<string, unknown>; matching: number };
    console.log(`dashboard: ${matching} lines; totals ${JSON.stringify({ devices: total.devices, food: total.food, messages: total.messages })}`);
    await measure('api', 'GET /api/dashboard', `${base}/api/dashboard`, 'application/json', ok('/api/dashboard', false));
    await measure('page', 'GET /dashboard', `${base}/dashboard`, 'text/html', ok('/dashboard', true));
  } else console.log('GET /api/dashboard answered 404: the dashboard is not measured');

  const searchTimes = new Map<string, number[]>();
  const queries = searchQueries(sample);
  const searchThere = (await get(`${base}/api/pupils?q=anna`, token, 'application/json')).status !== 404;
  let searchCpu = '';
  const incomplete: string[] = [];
  if (searchThere) {
    for (const q of queries.slice(0, warmups)) await get(`${base}/api/pupils?q=${encodeURIComponent(q.q)}`, token, 'application/json');
    const before = snapshot(watched);
    for (const q of queries) {
      const r = await get(`${base}/api/pupils?q=${encodeURIComponent(q.q)}`, token, 'application/json');
      // A personal code is never echoed in an error: the kind says which search failed.
      if (r.status !== 200) throw new Error(`search (${q.kind}): ${r.status} ${q.kind === 'personal_code' ? '' : r.body.slice(0, 300)}`);
      if (q.expect && !JSON.stringify(JSON.parse(r.body)).includes(q.expect)) throw new Error(`search by a seeded pupil's personal code did not find the pupil`);
      searchTimes.set(q.kind, [...(searchTimes.get(q.kind) ?? []), r.ms]);
      // An answer that says there is no more must hold every pupil of that name.
      const { items, more } = JSON.parse(r.body) as { items: Array<{ kind: string }>; more: boolean };
      if (byName.has(q.kind) && !more) {
        const want = pupilsNamed(pupils, q.q);
        const got = items.filter((h) => h.kind === 'pupil').length;
        if (got < want) incomplete.push(`"${q.q}": ${got} pupils shown, no more offered, ${want} seeded`);
      }
    }
    searchCpu = cpuShares(before, snapshot(watched), queries.length);
  } else console.log('GET /api/pupils answered 404: the child search is not measured');
  const allSearches = [...searchTimes.values()].flat();
  if (incomplete.length) console.log(`searches by name that left out matching pupils (${incomplete.length}):\n  ${[...new Set(incomplete)].slice(0, 10).join('\n  ')}`);

  console.log(`\none request at a time after ${warmups} warm-up requests (figures from a shared machine are noisy):`);
  console.log(`${''.padEnd(40)}${'requests'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}`);
  const row = (label: string, xs: number[]) => console.log(`${label.padEnd(40)}${String(xs.length).padStart(9)}${p50(xs).toFixed(1).padStart(9)}${p95(xs).toFixed(1).padStart(9)}${Math.max(...xs).toFixed(1).padStart(9)}`);
  for (const r of results) row(r.label, r.times);
  if (allSearches.length) row('GET /api/pupils?q=… (all)', allSearches);
  for (const [kind, xs] of searchTimes) row(`  ${kind}`, xs);
  for (const r of results) console.log(`CPU in cores, ${r.label}: ${r.cpu}`);
  if (searchCpu) console.log(`CPU in cores, child search: ${searchCpu}`);

  const line = (name: string, value: number, unit: string, op: '<' | '>=', target: number) =>
    console.log(`BENCH dashboard.${name} ${value.toFixed(1)} ${unit} target ${op} ${target} ${(op === '<' ? value < target : value >= target) ? 'pass' : 'miss'}`);
  console.log('');
  line('seed_s', seedS, 's', '>=', 0);
  if (refreshS !== null) line('refresh', refreshS, 's', '<', refreshTargetS);
  for (const r of results) {
    line(`${r.name}_p50`, p50(r.times), 'ms', '<', dashboardTargetMs);
    line(`${r.name}_p95`, p95(r.times), 'ms', '<', dashboardTargetMs);
  }
  if (allSearches.length) {
    line('search_p50', p50(allSearches), 'ms', '<', searchTargetMs);
    line('search_p95', p95(allSearches), 'ms', '<', searchTargetMs);
    for (const [kind, xs] of searchTimes) line(`search_${kind}_p95`, p95(xs), 'ms', '>=', 0);
    line('search_incomplete_answers', incomplete.length, 'answers', '<', 1);
  }
  if (!dashboardThere || !searchThere || refreshS === null) {
    failed = true;
    console.error('not everything could be measured: see above');
  }
} catch (err) {
  failed = true;
  if (!scratch.cleaning()) console.error((err as Error).stack ?? (err as Error).message);
} finally {
  await scratch.cleanup();
}
process.exit(failed ? 1 : 0);
