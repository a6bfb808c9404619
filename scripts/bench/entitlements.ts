import fs from 'node:fs';
import mongoose, { Types } from 'mongoose';
import type { Actor } from '../../src/auth/actor.ts';
import { syncIndexes } from '../../src/db.ts';
import { addEmbeddedLookupIndexes } from '../../src/infra/ferretdb.ts';
import { InstitutionModel } from '../../src/institutions/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { computeEntitlements, type ComputeSummary } from '../../src/foodcards/computeService.ts';
import { entitlementAmount, rateForClass, schoolDaysOf } from '../../src/foodcards/entitlements.ts';
import { EntitlementModel, FamilyStatusModel, FoodPeriodModel } from '../../src/foodcards/model.ts';
import { addDays } from '../../src/shared/dates.ts';
import path from 'node:path';
import { readBackend } from '../../src/infra/ferretdbBackend.ts';
import { cpuShares, postgresBackends, snapshot, type Watched } from './cpu.ts';
import { benchScratch } from './scratch.ts';

/**
 * Food-card amounts for a city: PUPILS pupils (default 50,000) in 150 schools (classes 1–12), each
 * with a family status (most valid over the whole period, some starting or ending inside it, some
 * outside it), one period 2020-03-16 to 2020-05-29 with a default rate, a rate for classes 5–12
 * and its calendar set. computeEntitlements() as a coordinator, timed twice: the first computation
 * (every record inserted) and a second one (nothing changed, nothing written). Every stored amount
 * and both summaries are checked against amounts worked out here from the seed, so a wrong result
 * fails the run. The same is done first with 10,000 pupils in the same schools, on emptied
 * collections, for the memory comparison: the heap is collected before each computation and
 * sampled during it (a peak that includes garbage V8 has not collected yet), the resident set's
 * high-water mark is reset before it, and a third, untimed computation on a copy of the period
 * collects the heap at every sample for the peak of what is really held (the live heap).
 *
 *   scripts/bench/entitlements [PUPILS] [SMALL_PUPILS]
 */
const pupilCount = Number(process.argv[2] ?? 50_000);
const smallPupilCount = Number(process.argv[3] ?? 10_000);
const schoolCount = 150;
const batch = 1000;
const targetS = 10;

const period = { from: '2020-03-16', to: '2020-05-29' };
const calendar = { holidays: ['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04'], daysOff: [] as string[], extraSchoolDays: [] as string[] };
const defaultRateCents = 142;
const rates = [{ classFrom: 5, classTo: 12, cents: 160 }];
const periodDays = 75; // 2020-03-16 .. 2020-05-29

const MiB = 1024 * 1024;

/**
 * Everything about pupil `i` follows from `i`, so the expected amounts are worked out again when
 * checking instead of being kept (a city's worth of them would sit in the heap being measured).
 */
function pupilOf(i: number) {
  const cls = `${1 + (i % 12)}.${'abc'[Math.floor(i / 12) % 3]}`;
  const status = i % 3 ? 'poor' : 'low_income';
  const k = i % 20;
  const inside = (n: number) => addDays(period.from, (i * 7 + n) % periodDays);
  let validFrom: string;
  let validTo: string;
  if (k < 13) [validFrom, validTo] = i % 2 ? ['2020-01-01', '2020-12-31'] : ['2019-09-01', '2020-08-31']; // the whole period
  else if (k < 15) [validFrom, validTo] = [inside(0), '2020-12-31']; // starts inside
  else if (k < 17) [validFrom, validTo] = ['2019-09-01', inside(0)]; // ends inside
  else if (k < 18) [validFrom, validTo] = [inside(0), inside(0) < inside(20) ? inside(20) : inside(0)]; // both inside
  else if (k < 19) [validFrom, validTo] = ['2019-09-01', '2020-03-13']; // ended before
  else [validFrom, validTo] = ['2020-06-01', '2021-05-31']; // starts after
  return { cls, status, validFrom, validTo, school: i % schoolCount };
}

const schoolDays = schoolDaysOf(period, calendar);
// An independent count: 55 weekdays from 16 March to 29 May 2020, less the 4 holidays.
if (schoolDays.length !== 51) throw new Error(`school days: ${schoolDays.length}, expected 51`);

function expectedOf(i: number) {
  const p = pupilOf(i);
  const overlaps = p.validFrom <= period.to && p.validTo >= period.from;
  const rateCents = rateForClass(rates, defaultRateCents, p.cls);
  return { ...p, overlaps, rateCents, ...entitlementAmount(schoolDays, { from: p.validFrom, to: p.validTo }, rateCents) };
}

async function insertInBatches(collection: { insertMany(docs: any[], opts: { ordered: boolean }): Promise<unknown> }, docs: unknown[]): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) await collection.insertMany(docs.slice(i, i + batch), { ordered: false });
}

type Seeded = { prefix: string; periodId: Types.ObjectId; expected: { pupils: number; cents: number } };

/** Seeds through the models' collections in bulk, with every field the schemas would set. */
async function seed(n: number): Promise<Seeded> {
  const now = new Date();
  const schools = Array.from({ length: schoolCount }, (_, s) => ({
    _id: new Types.ObjectId(),
    code: `S${String(s).padStart(4, '0')}`,
    name: `Rīgas ${s + 1}. vidusskola`,
    type: 'school',
    address: `Skolas iela ${s + 1}, Rīga`,
    basePeriods: [],
    createdAt: now,
    updatedAt: now,
    __v: 0,
  }));
  await insertInBatches(InstitutionModel.collection, schools);
  // Pupil i's id is the run's prefix and i, so a stored amount leads back to its pupil.
  const prefix = new Types.ObjectId().toHexString().slice(0, 8);
  const idOf = (i: number) => new Types.ObjectId(prefix + i.toString(16).padStart(16, '0'));
  const expected = { pupils: 0, cents: 0 };
  for (let from = 0; from < n; from += batch) {
    const pupils = [];
    const statuses = [];
    for (let i = from; i < Math.min(n, from + batch); i++) {
      const p = pupilOf(i);
      const e = expectedOf(i);
      if (e.overlaps) {
        expected.pupils += 1;
        expected.cents += e.cents;
      }
      const _id = idOf(i);
      const institution = schools[p.school]!._id;
      pupils.push({
        _id,
        institution,
        class: p.cls,
        firstName: `Vārds${i}`,
        lastName: `Uzvārds${i}`,
        personalCodeHash: `${prefix}-${i}`,
        personalCodeMasked: '010110-*****',
        personalCodeEnc: `enc:${prefix}:${i}:${'x'.repeat(60)}`,
        birthDate: '2010-01-01',
        guardian: { name: `Vecāks ${i}`, phone: '+37120000000', email: null, language: 'lv' },
        createdByImport: null,
        changedByImport: null,
        createdAt: now,
        updatedAt: now,
        __v: 0,
      });
      statuses.push({ _id: new Types.ObjectId(), institution, pupil: _id, status: p.status, validFrom: p.validFrom, validTo: p.validTo, createdByImport: null, changedByImport: null, createdAt: now, updatedAt: now, __v: 0 });
    }
    await PupilModel.collection.insertMany(pupils, { ordered: false });
    await FamilyStatusModel.collection.insertMany(statuses, { ordered: false });
  }
  const periodId = new Types.ObjectId();
  await FoodPeriodModel.collection.insertOne({
    _id: periodId,
    name: 'Pavasaris 2020',
    ...period,
    defaultRateCents,
    rates,
    calendar: { ...calendar, setAt: now, setBy: 'bench' },
    createdBy: 'bench',
    createdAt: now,
    updatedAt: now,
    __v: 0,
  });
  return { prefix, periodId, expected };
}

/** Empties the collections a round fills (dropped: FerretDB drops a table at once), with their indexes rebuilt. */
async function emptyCollections(): Promise<void> {
  const db = mongoose.connection.db!;
  const names = new Set((await db.listCollections().toArray()).map((c) => c.name));
  for (const model of [InstitutionModel, PupilModel, FamilyStatusModel, FoodPeriodModel, EntitlementModel]) {
    if (names.has(model.collection.collectionName)) await db.dropCollection(model.collection.collectionName);
  }
  await syncIndexes();
}

function checkSummary(label: string, got: ComputeSummary, want: ComputeSummary): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${label}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}

/** Every stored amount against the one worked out from the seed; one record per overlapping pupil. */
async function checkStored(seeded: Seeded, n: number): Promise<void> {
  const schoolIds = new Map((await InstitutionModel.find({}, { code: 1 }).lean()).map((s) => [String(s._id), Number(s.code.slice(1))]));
  let count = 0;
  const cursor = EntitlementModel.collection.find({ period: seeded.periodId }, { projection: { pupil: 1, institution: 1, status: 1, validFrom: 1, validTo: 1, class: 1, rateCents: 1, days: 1, cents: 1 } });
  for await (const doc of cursor) {
    const hex = String(doc.pupil);
    const i = parseInt(hex.slice(8), 16);
    if (!hex.startsWith(seeded.prefix) || !(i >= 0 && i < n)) throw new Error(`stored amount for an unknown pupil ${hex}`);
    const e = expectedOf(i);
    const got = { school: schoolIds.get(String(doc.institution)), status: doc.status, validFrom: doc.validFrom, validTo: doc.validTo, class: doc.class, rateCents: doc.rateCents, days: doc.days, cents: doc.cents };
    const want = { school: e.school, status: e.status, validFrom: e.validFrom, validTo: e.validTo, class: e.cls, rateCents: e.rateCents, days: e.days, cents: e.cents };
    if (!e.overlaps || JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`pupil ${i}: stored ${JSON.stringify(got)}, expected ${e.overlaps ? JSON.stringify(want) : 'no record'}`);
    count += 1;
  }
  if (count !== seeded.expected.pupils) throw new Error(`${count} amounts stored, expected ${seeded.expected.pupils}`);
}

const rssNowMiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const rssPeakMiB = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

type Measured = { summary: ComputeSummary; seconds: number; baseHeap: number; peakHeap: number; peakRss: number; cpu: string };

let watched: Watched = () => ({});

/**
 * One computation, timed, with the heap collected before and sampled every 10 ms during it. With
 * `live`, each sample collects the heap first (slowing the computation down, so not timed): the
 * peak of what the computation really holds rather than of garbage V8 has not collected yet.
 */
async function measured(actor: Actor, periodId: string, live = false): Promise<Measured> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (scripts/bench/entitlements does)');
  gc();
  gc();
  const baseHeap = process.memoryUsage().heapUsed / MiB;
  // Resets the resident set's high-water mark to what is resident now (Linux; kept if refused).
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {}
  let peakHeap = baseHeap;
  let peakRss = rssNowMiB();
  const sample = setInterval(() => {
    if (live) gc();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed / MiB);
    peakRss = Math.max(peakRss, rssNowMiB());
  }, live ? 50 : 10);
  const cpuBefore = snapshot(watched);
  const start = performance.now();
  try {
    const summary = await computeEntitlements(actor, String(periodId), '127.0.0.1');
    const seconds = (performance.now() - start) / 1000;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed / MiB);
    peakRss = Math.max(peakRss, rssPeakMiB());
    return { summary, seconds, baseHeap, peakHeap, peakRss, cpu: cpuShares(cpuBefore, snapshot(watched)) };
  } finally {
    clearInterval(sample);
  }
}

type Round = { n: number; seedS: number; first: Measured; again: Measured; live: Measured };

async function round(actor: Actor, n: number): Promise<Round> {
  await emptyCollections();
  await addEmbeddedLookupIndexes(scratch.dataDir);
  console.log(`\nseeding ${n} pupils with family statuses in ${schoolCount} schools...`);
  const seedStart = performance.now();
  const seeded = await seed(n);
  const seedS = (performance.now() - seedStart) / 1000;
  console.log(`seeded in ${seedS.toFixed(1)} s: ${seeded.expected.pupils} statuses overlap the period, ${(seeded.expected.cents / 100).toFixed(2)} EUR in all`);

  const first = await measured(actor, String(seeded.periodId));
  console.log(`first computation: ${first.seconds.toFixed(2)} s ${JSON.stringify(first.summary)}; heap ${first.baseHeap.toFixed(1)} MiB before, peak ${first.peakHeap.toFixed(1)} MiB; peak RSS ${first.peakRss.toFixed(0)} MiB`);
  const { pupils, cents } = seeded.expected;
  checkSummary('first computation', first.summary, { institutions: schoolCount, pupils, created: pupils, updated: 0, unchanged: 0, cents });
  await checkStored(seeded, n);

  const again = await measured(actor, String(seeded.periodId));
  console.log(`second computation: ${again.seconds.toFixed(2)} s ${JSON.stringify(again.summary)}; heap ${again.baseHeap.toFixed(1)} MiB before, peak ${again.peakHeap.toFixed(1)} MiB; peak RSS ${again.peakRss.toFixed(0)} MiB`);
  checkSummary('second computation', again.summary, { institutions: schoolCount, pupils, created: 0, updated: 0, unchanged: pupils, cents });
  await checkStored(seeded, n);
  console.log(`  CPU in cores: first ${first.cpu}\n  second ${again.cpu}`);

  // The live heap: the first computation once more, on a copy of the period (every record inserted again).
  const copy = { ...(await FoodPeriodModel.collection.findOne({ _id: seeded.periodId }))!, _id: new Types.ObjectId() };
  await FoodPeriodModel.collection.insertOne(copy);
  const live = await measured(actor, String(copy._id), true);
  console.log(`first computation again, the heap collected every 50 ms: ${live.seconds.toFixed(2)} s; live heap ${live.baseHeap.toFixed(1)} MiB before, peak ${live.peakHeap.toFixed(1)} MiB`);
  checkSummary('computation of the copy', live.summary, { institutions: schoolCount, pupils, created: pupils, updated: 0, unchanged: 0, cents });
  return { n, seedS, first, again, live };
}

const scratch = benchScratch('entitlements');

let failed = false;
try {
  const mongo = await scratch.startDatabase();
  await addEmbeddedLookupIndexes(scratch.dataDir);
  const backend = readBackend(path.join(scratch.dataDir, 'ferretdb', 'backend.json'));
  watched = () => ({ 'this process': [process.pid], ferretdb: [mongo.pid], postgresql: backend?.handler === 'pg' ? postgresBackends(backend.database) : [] });
  const actor: Actor = { kind: 'user', id: String(new Types.ObjectId()), email: 'coordinator@bench.lv', name: 'Bench Coordinator', role: 'coordinator', institutionId: null, institutionCode: null, language: 'lv', via: 'token' };

  const small = await round(actor, smallPupilCount);
  const large = await round(actor, pupilCount);

  const k = (n: number) => `${Math.round(n / 1000)}k`;
  const line = (name: string, value: number, unit: string, op: string, target: number | string, pass: boolean) =>
    console.log(`BENCH entitlements.${name} ${value.toFixed(1)} ${unit} target ${op} ${target} ${pass ? 'pass' : 'miss'}`);
  console.log('');
  line(`compute_${k(large.n)}_s`, large.first.seconds, 's', '<', targetS, large.first.seconds < targetS);
  line(`recompute_${k(large.n)}_s`, large.again.seconds, 's', '<', targetS, large.again.seconds < targetS);
  line(`compute_${k(small.n)}_s`, small.first.seconds, 's', '>=', 0, true);
  line(`peak_heap_${k(small.n)}_mib`, small.first.peakHeap, 'MiB', '>=', 0, true);
  line(`peak_heap_${k(large.n)}_mib`, large.first.peakHeap, 'MiB', '>=', 0, true);
  line(`peak_live_heap_${k(small.n)}_mib`, small.live.peakHeap, 'MiB', '>=', 0, true);
  line(`peak_live_heap_${k(large.n)}_mib`, large.live.peakHeap, 'MiB', '>=', 0, true);
  // Flat in the number of pupils: the live heap's peak may grow by less than 16 MiB from 10,000 to
  // 50,000 pupils, i.e. under 0.4 KiB per added pupil, less than the three records read for one pupil
  // (status, stored amount, class) take as objects, so holding any city-wide set would miss it.
  const growth = large.live.peakHeap - small.live.peakHeap;
  line(`peak_live_heap_growth_mib`, growth, 'MiB', '<', 16, growth < 16);
  line(`peak_rss_${k(small.n)}_mib`, small.first.peakRss, 'MiB', '>=', 0, true);
  line(`peak_rss_${k(large.n)}_mib`, large.first.peakRss, 'MiB', '>=', 0, true);
  line(`seed_${k(large.n)}_s`, large.seedS, 's', '>=', 0, true);
} catch (err) {
  failed = true;
  if (!scratch.cleaning()) console.error((err as Error).stack ?? (err as Error).message);
} finally {
  await scratch.cleanup();
}
process.exit(failed ? 1 : 0);
