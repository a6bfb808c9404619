import path from 'node:path';
import { Types } from 'mongoose';
import type { Actor } from '../../src/auth/actor.ts';
import { addEmbeddedLookupIndexes } from '../../src/infra/ferretdb.ts';
import { readBackend } from '../../src/infra/ferretdbBackend.ts';
import { InstitutionModel } from '../../src/institutions/model.ts';
import { DeviceModel, DeviceNeedModel, deviceTypes, type NeedStatus } from '../../src/devices/model.ts';
import { newReferenceCode } from '../../src/devices/referenceCode.ts';
import { defaultPriority } from '../../src/devices/priority.ts';
import { proposeAllocation, type OpenNeed, type Proposal, type StockDevice } from '../../src/devices/allocation.ts';
import { buildProposal } from '../../src/devices/allocationService.ts';
import { readOpenNeeds, readOpenNeedsFromNeeds, rebuildOpenNeeds } from '../../src/devices/openNeeds.ts';
import { cpuShares, postgresBackends, snapshot, type Watched } from './cpu.ts';
import { benchScratch } from './scratch.ts';

/**
 * The allocation proposal on a city's worth of data: 600 institutions, 50,000 approved needs and
 * 10,000 in-stock devices (plus records the proposal must leave out: needs in other statuses, and
 * devices already allocated or handed over). Times buildProposal() (releasing orphaned claims,
 * loading from the database, proposing, naming the institutions), once before the waiting needs'
 * entries are built and then from them, the first build of those entries, and, separately, the pure
 * proposeAllocation() on the same data in memory, and checks that the proposal is sane.
 *
 *   scripts/bench/allocate [NEEDS] [DEVICES] [INSTITUTIONS]
 */
const needCount = Number(process.argv[2] ?? 50_000);
const deviceCount = Number(process.argv[3] ?? 10_000);
const institutionCount = Number(process.argv[4] ?? 600);
// Records that must not enter the proposal, so the status filters are exercised.
const otherNeedCount = Math.round(needCount / 10);
const allocatedPairs = Math.round(deviceCount / 10);
const handedOverCount = Math.round(deviceCount / 5);
const runs = 3;

const day = 86_400_000;
const batch = 1000;
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

async function insertInBatches<T>(insert: (docs: T[]) => Promise<unknown>, docs: T[]): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) await insert(docs.slice(i, i + batch));
}

type SeedDevice = { _id: Types.ObjectId; serial: string; type: string; make: string; model: null; status: string; institution: Types.ObjectId | null; need: Types.ObjectId | null; stockedAt: Date; history: unknown[]; createdAt: Date; updatedAt: Date };
type Seeded = { devices: StockDevice[]; needs: OpenNeed[]; allocatedDeviceIds: string[] };

async function seed(): Promise<Seeded> {
  const now = Date.now();
  const institutions = Array.from({ length: institutionCount }, (_, i) => ({
    _id: new Types.ObjectId(),
    code: `B${String(i).padStart(4, '0')}`,
    name: `Liepājas ${i + 1}. ${i % 5 ? 'vidusskola' : 'pirmsskolas izglītības iestāde'}`,
    type: i % 5 ? 'school' : 'kindergarten',
    address: `Skolas iela ${i + 1}, Liepāja`,
  }));
  await insertInBatches((d) => InstitutionModel.insertMany(d), institutions);
  // Big schools register far more needs than small ones: a skewed pick (a few take most).
  const skewed = () => institutions[Math.floor(institutionCount * Math.random() ** 2)]!._id;

  const needs: OpenNeed[] = [];
  const needDocs = [];
  const codes = new Set<string>();
  const code = () => {
    let c = newReferenceCode();
    while (codes.has(c)) c = newReferenceCode();
    codes.add(c);
    return c;
  };
  for (let i = 0; i < needCount + otherNeedCount; i++) {
    const approved = i < needCount;
    const _id = new Types.ObjectId();
    const institution = skewed();
    const deviceType = Math.random() < 0.55 ? 'laptop' : 'tablet';
    // A few needs came without a priority (the proposal then uses the default).
    const priority = Math.random() < 0.05 ? null : 1 + Math.floor(Math.random() * 5);
    const createdAt = new Date(now - Math.floor(Math.random() * 90 * day));
    const status: NeedStatus = approved ? 'approved' : pick(['registered', 'delivered', 'cancelled', 'returned'] as const);
    const history: Array<{ status: string; at: Date; by: string; note: string | null }> = [{ status: 'registered', at: createdAt, by: 'import:bench', note: 'list.xlsx' }];
    if (status !== 'registered') history.push({ status, at: new Date(createdAt.getTime() + day), by: `user:${new Types.ObjectId()}`, note: null });
    needDocs.push({ _id, institution, pupil: new Types.ObjectId(), deviceType, priority, deliveryMethod: 'pickup', referenceCode: code(), status, history, createdAt, updatedAt: createdAt });
    if (approved) needs.push({ id: String(_id), institution: String(institution), type: deviceType, priority: priority ?? defaultPriority, createdAt: createdAt.getTime() });
  }

  const devices: StockDevice[] = [];
  const deviceDocs: SeedDevice[] = [];
  const allocatedDeviceIds: string[] = [];
  let serial = 0;
  const stock = (status: 'in_stock' | 'allocated' | 'handed_over', institution: Types.ObjectId | null, need: Types.ObjectId | null) => {
    const _id = new Types.ObjectId();
    const type = Math.random() < 0.6 ? 'laptop' : 'tablet';
    const stockedAt = new Date(now - Math.floor(Math.random() * 60 * day));
    // Claimed an hour ago: older than a confirmation can take, so the orphan check looks at them.
    const updatedAt = status === 'in_stock' ? stockedAt : new Date(now - 3_600_000);
    const doc: SeedDevice = { _id, serial: `BN${String(serial++).padStart(7, '0')}`, type, make: pick(['Lenovo', 'HP', 'Apple', 'Samsung']), model: null, status, institution, need, stockedAt, history: [{ status: 'in_stock', at: stockedAt, by: 'import:bench', note: null }], createdAt: stockedAt, updatedAt };
    deviceDocs.push(doc);
    return doc;
  };
  for (let i = 0; i < deviceCount; i++) {
    // Most devices are in the office's stock; some already sit at a school.
    const institution = Math.random() < 0.15 ? skewed() : null;
    const d = stock('in_stock', institution, null);
    devices.push({ id: String(d._id), serial: d.serial, type: d.type, institution: institution ? String(institution) : null, stockedAt: d.stockedAt.getTime() });
  }
  // Allocated devices and their needs, pointing at each other as a confirmation leaves them: the
  // orphan check before each proposal loads them and must release none.
  for (let i = 0; i < allocatedPairs; i++) {
    const needId = new Types.ObjectId();
    const institution = skewed();
    const d = stock('allocated', institution, needId);
    allocatedDeviceIds.push(String(d._id));
    const createdAt = new Date(now - 30 * day);
    const history = [{ status: 'registered', at: createdAt, by: 'import:bench', note: null }, { status: 'approved', at: createdAt, by: 'user:bench', note: null }, { status: 'allocated', at: d.updatedAt, by: 'user:bench', note: null }];
    needDocs.push({ _id: needId, institution, pupil: new Types.ObjectId(), deviceType: d.type, priority: 3, deliveryMethod: 'pickup', referenceCode: code(), status: 'allocated', device: d._id, history, createdAt, updatedAt: d.updatedAt });
  }
  for (let i = 0; i < handedOverCount; i++) stock('handed_over', skewed(), new Types.ObjectId());

  await insertInBatches((d) => DeviceNeedModel.insertMany(d), needDocs);
  await insertInBatches((d) => DeviceModel.insertMany(d), deviceDocs);
  return { devices, needs, allocatedDeviceIds };
}

/** Throws, naming every problem, unless the proposal is one a coordinator could confirm. */
function check(proposal: Proposal, seeded: Seeded, label: string): void {
  const problems: string[] = [];
  const needs = new Map(seeded.needs.map((n) => [n.id, n]));
  const devices = new Map(seeded.devices.map((d) => [d.id, d]));
  for (const type of deviceTypes) {
    const have = seeded.devices.filter((d) => d.type === type).length;
    const want = seeded.needs.filter((n) => n.type === type).length;
    const matched = proposal.matches.filter((m) => m.type === type).length;
    if (matched !== Math.min(have, want)) problems.push(`${type}: ${matched} matches for ${have} devices and ${want} needs (expected ${Math.min(have, want)})`);
    const summary = proposal.summary.find((s) => s.type === type);
    if (!summary || summary.devices !== have || summary.needs !== want || summary.matched !== matched) problems.push(`${type}: summary ${JSON.stringify(summary)} does not agree`);
  }
  const seenNeeds = new Set<string>();
  const seenDevices = new Set<string>();
  for (const m of proposal.matches) {
    if (seenNeeds.has(m.needId)) problems.push(`need ${m.needId} matched twice`);
    if (seenDevices.has(m.deviceId)) problems.push(`device ${m.deviceId} matched twice`);
    seenNeeds.add(m.needId);
    seenDevices.add(m.deviceId);
    const need = needs.get(m.needId);
    const device = devices.get(m.deviceId);
    if (!need) problems.push(`need ${m.needId} is not an approved need`);
    if (!device) problems.push(`device ${m.deviceId} is not in stock`);
    if (need && (need.type !== m.type || need.institution !== m.institution)) problems.push(`need ${m.needId}: type or institution differs from the match`);
    if (device && (device.type !== m.type || device.serial !== m.serial)) problems.push(`device ${m.deviceId}: type or serial differs from the match`);
    if (problems.length > 20) break;
  }
  if (problems.length) throw new Error(`${label}: the proposal is not sane:\n  ${problems.slice(0, 20).join('\n  ')}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const scratch = benchScratch('allocate');

let failed = false;
try {
  const mongo = await scratch.startDatabase();
  await addEmbeddedLookupIndexes(scratch.dataDir);

  console.log(`seeding ${institutionCount} institutions, ${needCount} approved needs (+${otherNeedCount + allocatedPairs} in other statuses) and ${deviceCount} in-stock devices (+${allocatedPairs + handedOverCount} allocated or handed over)...`);
  const seedStart = performance.now();
  const seeded = await seed();
  console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  for (const type of deviceTypes) {
    console.log(`  ${type}: ${seeded.devices.filter((d) => d.type === type).length} devices, ${seeded.needs.filter((n) => n.type === type).length} needs`);
  }

  const actor: Actor = { kind: 'user', id: String(new Types.ObjectId()), email: 'coordinator@bench.lv', name: 'Bench Coordinator', role: 'coordinator', institutionId: null, institutionCode: null, language: 'lv', via: 'token' };
  const proposalTimes: number[] = [];
  let proposal: Awaited<ReturnType<typeof buildProposal>> | undefined;
  const backend = readBackend(path.join(scratch.dataDir, 'ferretdb', 'backend.json'));
  const watched: Watched = () => ({ 'this process': [process.pid], ferretdb: [mongo.pid], postgresql: backend?.handler === 'pg' ? postgresBackends(backend.database) : [] });
  // The needs were written straight into the database, as an older version of the service would
  // have left them: the first proposal reads the needs themselves, then the worker's schedule
  // builds their entries (src/devices/openNeeds.ts), which every later proposal reads.
  let start = performance.now();
  const unbuilt = await buildProposal(actor);
  const unbuiltS = (performance.now() - start) / 1000;
  check(unbuilt, seeded, 'buildProposal before the entries are built');
  start = performance.now();
  const built = await rebuildOpenNeeds();
  const buildS = (performance.now() - start) / 1000;
  if (built.added !== seeded.needs.length) throw new Error(`the first build added ${built.added} entries for ${seeded.needs.length} waiting needs`);
  // The schedule's usual run: everything compared, nothing to mend (an hour on, so no entry counts as just written).
  start = performance.now();
  const again = await rebuildOpenNeeds(new Date(Date.now() + 3_600_000));
  const recheckS = (performance.now() - start) / 1000;
  if (again.added + again.changed + again.closed) throw new Error(`a second build mended entries the first left: ${JSON.stringify(again)}`);
  const before = snapshot(watched);
  for (let i = 0; i < runs; i++) {
    start = performance.now();
    proposal = await buildProposal(actor);
    proposalTimes.push(performance.now() - start);
  }
  const cpu = cpuShares(before, snapshot(watched));
  check(proposal!, seeded, 'buildProposal');
  const named = new Set(Object.keys(proposal!.institutions));
  const unnamed = [...new Set(proposal!.matches.map((m) => m.institution))].filter((i) => !named.has(i));
  if (unnamed.length) throw new Error(`buildProposal: ${unnamed.length} matched institutions have no name`);
  const stillAllocated = await DeviceModel.countDocuments({ _id: { $in: seeded.allocatedDeviceIds.map((id) => new Types.ObjectId(id)) }, status: 'allocated' });
  if (stillAllocated !== seeded.allocatedDeviceIds.length) throw new Error(`the orphan check released ${seeded.allocatedDeviceIds.length - stillAllocated} properly allocated devices`);

  // Where buildProposal's time goes: the queries it makes, each timed alone with the same filter
  // and fields (the orphan check's, the two loads, the institutions' names).
  const timed = async (f: () => Promise<unknown>) => {
    const start = performance.now();
    await f();
    return performance.now() - start;
  };
  const settled = new Date(Date.now() - 10 * 60 * 1000);
  const parts = {
    'orphan check: allocated devices': await timed(() => DeviceModel.find({ status: 'allocated', updatedAt: { $lt: settled } }, { need: 1 }).lean()),
    'orphan check: needs holding a device': await timed(() => Promise.all(['allocated', 'ready_for_pickup', 'out_for_delivery'].map((status) => DeviceNeedModel.find({ status }, { device: 1 }).lean()))),
    'waiting needs from their entries': await timed(readOpenNeeds),
    'the same from the needs themselves': await timed(readOpenNeedsFromNeeds),
    'in-stock devices': await timed(() => DeviceModel.find({ status: 'in_stock' }, { serial: 1, type: 1, institution: 1, stockedAt: 1 }).lean()),
    'institution names': await timed(() => InstitutionModel.find({ _id: { $in: Object.keys(proposal!.institutions).map((id) => new Types.ObjectId(id)) } }, { code: 1, name: 1 }).lean()),
  };

  const pureTimes: number[] = [];
  let pure: Proposal | undefined;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    pure = proposeAllocation(seeded.devices, seeded.needs);
    pureTimes.push(performance.now() - start);
  }
  check(pure!, seeded, 'proposeAllocation');
  // The same data gives the same proposal, whether loaded from the database or held in memory.
  const key = (p: Proposal) => p.matches.map((m) => `${m.needId}:${m.deviceId}`).join(',');
  if (key(pure!) !== key(proposal!)) throw new Error('buildProposal and proposeAllocation disagree on the same data');

  const proposalS = median(proposalTimes) / 1000;
  const pureMs = median(pureTimes);
  const sources = Object.entries(Object.groupBy(proposal!.matches, (m) => m.reason.source)).map(([s, ms]) => `${s} ${ms?.length ?? 0}`);
  console.log(`buildProposal: ${proposalTimes.map((t) => (t / 1000).toFixed(2)).join(', ')} s (median ${proposalS.toFixed(2)} s)`);
  console.log(`  CPU in cores during the ${runs} runs: ${cpu}`);
  console.log(`  before the entries were built (reading the needs themselves): ${unbuiltS.toFixed(2)} s; building them: ${buildS.toFixed(2)} s; comparing them with the needs again, nothing to mend: ${recheckS.toFixed(2)} s`);
  console.log(`  its queries, each timed alone: ${Object.entries(parts).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`).join(', ')}`);
  console.log(`proposeAllocation in memory: ${pureTimes.map((t) => t.toFixed(0)).join(', ')} ms (median ${pureMs.toFixed(0)} ms)`);
  console.log(`matches: ${proposal!.matches.length} (${sources.join(', ')}); ${proposal!.summary.map((s) => `${s.type} ${s.matched}/${s.needs}`).join(', ')}`);
  console.log(`BENCH allocate.proposal_s ${proposalS.toFixed(2)} s target < 5 ${proposalS < 5 ? 'pass' : 'miss'}`);
  console.log(`BENCH allocate.unbuilt_proposal_s ${unbuiltS.toFixed(2)} s target >= 0 pass`);
  console.log(`BENCH allocate.entries_build_s ${buildS.toFixed(2)} s target >= 0 pass`);
  console.log(`BENCH allocate.entries_recheck_s ${recheckS.toFixed(2)} s target >= 0 pass`);
  console.log(`BENCH allocate.pure_ms ${pureMs.toFixed(0)} ms target >= 0 pass`);
  console.log(`BENCH allocate.matches ${proposal!.matches.length} count target >= 0 pass`);
} catch (err) {
  failed = true;
  console.error((err as Error).message);
} finally {
  await scratch.cleanup();
}
process.exit(failed ? 1 : 0);
