import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { spawn } from 'node:child_process';
import ExcelJS from 'exceljs';
import mongoose, { Types } from 'mongoose';
import { projectRoot } from '../../src/config.ts';
import { findFreePort } from '../../src/infra/processes.ts';
import { workerArgs } from '../../jobs/nodeFlags.ts';
import { addEmbeddedLookupIndexes, ensureFerretDb, removeFerretDbData } from '../../src/infra/ferretdb.ts';
import { ensureRedis } from '../../src/infra/redisServer.ts';
import { redisPrefixFor } from '../../src/infra/connections.ts';
import { rssMiB, waitReady } from './processes.ts';
import { clearRedisPrefix } from './scratch.ts';
import { personalCodes } from '../../test/support/personalCodes.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { DomainEventModel } from '../../src/events/model.ts';
import { pupilSearchKeys } from '../../src/pupils/searchKeys.ts';

/**
 * Generates a device-needs workbook of N rows (valid personal codes), measures exceljs streaming
 * through it with no other work (the floor), then the whole import through the real API and a real
 * worker process from upload to `succeeded`, the worker's peak RSS, and a 1,000-row list from
 * upload to its downloaded report, first as new pupils and then uploaded again as after a correction.
 */
const rows = Number(process.argv[2] ?? 100_000);

async function makeWorkbook(n: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('Skolēni');
  ws.addRow(['Liepājas skolas saraksts']).commit();
  ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka tālrunis', 'Vecāka e-pasts', 'Valoda']).commit();
  for (const [i, code] of personalCodes(n).entries()) {
    ws.addRow([`${(i % 12) + 1}.a`, `Vārds${i}`, `Uzvārds${i}`, code, i % 2 ? 'planšete' : 'portatīvais dators', 26_000_000 + (i % 999_999), `g${i}@example.lv`, i % 3 ? 'latviešu' : 'krievu']).commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}

async function floor(bytes: Buffer): Promise<number> {
  const start = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let count = 0;
  for await (const ws of reader) for await (const _row of ws) count++;
  if (count < rows) throw new Error(`floor read ${count} rows`);
  return performance.now() - start;
}

/**
 * The database's share on its own: the records the import writes for each row (a pupil with its
 * search keys, a need, the need's registration event), with the same indexes as the models, inserted
 * 500 rows at a time straight through the driver into a scratch database on the same FerretDB,
 * with no reading, checking or bookkeeping.
 */
async function databaseFloor(uri: string, n: number): Promise<number> {
  const url = new URL(uri);
  url.pathname = '/bench_floor';
  const conn = await mongoose.createConnection(url.toString()).asPromise();
  try {
    const collection = async (model: mongoose.Model<any>) => {
      const c = conn.db!.collection(model.collection.collectionName);
      for (const [key, options] of model.schema.indexes()) await c.createIndex(key as Record<string, 1>, { unique: Boolean(options.unique) });
      return c;
    };
    const [pupils, needs, events] = [await collection(PupilModel), await collection(DeviceNeedModel), await collection(DomainEventModel)];
    await addEmbeddedLookupIndexes(dataDir);
    const institution = new Types.ObjectId();
    const start = performance.now();
    for (let i = 0; i < n; i += 500) {
      const ps = [];
      const ns = [];
      const es = [];
      const block = new Types.ObjectId();
      for (let j = i; j < Math.min(n, i + 500); j++) {
        const now = new Date();
        const pupil = new Types.ObjectId();
        const need = new Types.ObjectId();
        const guardian = { name: null, phone: '+37126000000', email: `g${j}@example.lv`, language: 'lv' };
        const names = { firstName: `Vārds${j}`, lastName: `Uzvārds${j}`, class: '5.a', personalCodeMasked: '010101-*****' };
        ps.push({ _id: pupil, institution, ...names, personalCodeHash: `${j}`.padStart(43, 'h'), personalCodeEnc: 'e'.repeat(64), birthDate: '2005-01-01', searchKeys: pupilSearchKeys(names), guardian, createdByImport: 'floor', changedByImport: null, createdAt: now, updatedAt: now });
        const history = [{ status: 'registered', at: now, by: 'import:floor', note: 'floor.xlsx' }];
        ns.push({ _id: need, institution, pupil, firstName: names.firstName, deviceType: 'tablet', reason: null, priority: null, deliveryMethod: 'pickup', address: null, referenceCode: `R${j}`, status: 'registered', history, createdByImport: 'floor', changedByImport: null, createdAt: now, updatedAt: now });
        es.push({ key: `device.need_registered:${need}`, type: 'device.need_registered', subject: { kind: 'deviceNeed', id: need }, institution, pupil, data: {}, at: now, pending: true, handledAt: null, block });
      }
      await pupils.insertMany(ps, { ordered: false });
      await needs.insertMany(ns, { ordered: false });
      await events.insertMany(es, { ordered: false });
    }
    return performance.now() - start;
  } finally {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  }
}

/**
 * How long after the import the worker takes to turn its events into guardians' messages (made and
 * queued; sending goes on after). Asked every second with a lookup of one waiting event, which the
 * database answers from an index, so the asking does not slow what it measures.
 */
async function messagesMade(uri: string): Promise<number> {
  const conn = await mongoose.createConnection(uri).asPromise();
  try {
    const events = conn.db!.collection(DomainEventModel.collection.collectionName);
    const start = performance.now();
    while (await events.findOne({ pending: true }, { projection: { _id: 1 } })) await new Promise((r) => setTimeout(r, 1000));
    return performance.now() - start;
  } finally {
    await conn.close();
  }
}

async function runImport(base: string, token: string, bytes: Buffer, name: string): Promise<{ ms: number; id: string; body: Record<string, unknown> }> {
  const start = performance.now();
  const form = new FormData();
  form.set('kind', 'device-needs');
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(base + '/api/imports', { method: 'POST', body: form, headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const body = (await (await fetch(`${base}/api/imports/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
    if (body.status === 'succeeded' || body.status === 'failed') return { ms: performance.now() - start, id, body };
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-bench-import-'));
const mongo = await ensureFerretDb(dataDir, 'bench_import');
const redis = await ensureRedis(dataDir);
// On a shared Redis the bench's keys (queues, locks, the status entries of 100,000 needs) would
// stay after it; a run cut short leaves them too, so they go at the start and at the end.
const prefix = redisPrefixFor('bench_import');
const clearRedis = () => clearRedisPrefix(redis.url, prefix);
await clearRedis();
const port = await findFreePort();
const env = { ...process.env, MONGODB_URI: mongo.uri, REDIS_URL: redis.url, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', IMPORT_MAX_ROWS: String(rows + 10) };
const node = process.execPath;
const children: Array<ReturnType<typeof spawn>> = [];
try {
  const cli = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const p = spawn(node, [path.join(projectRoot, 'scripts', 'cli.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (c) => (out += c));
      p.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').at(-1) ?? '') : reject(new Error(`cli ${args[0]} exited ${code}`))));
    });
  await cli(['institution:add', '--code', 'BENCH', '--name', 'Bench school', '--type', 'school']);
  // The CLI built the models' indexes on the bench's own FerretDB; give them the lookup indexes.
  await addEmbeddedLookupIndexes(dataDir);
  await cli(['user:add', '--email', 'bench@bench.lv', '--password', 'bench-password-1', '--role', 'principal', '--institution', 'BENCH']);
  const token = await cli(['token:create', '--email', 'bench@bench.lv']);

  const api = spawn(node, [path.join(projectRoot, 'src', 'server.ts')], { env, stdio: 'inherit' });
  const worker = spawn(node, workerArgs(path.join(projectRoot, 'jobs', 'worker.ts')), { env, stdio: 'inherit' });
  children.push(api, worker);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(base);
  // The worker has loaded its modules and connected; what it holds before any import.
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`worker resident set when idle: ${rssMiB(worker.pid!, 'VmRSS').toFixed(0)} MiB`);

  console.log(`generating a ${rows}-row workbook...`);
  const big = await makeWorkbook(rows);
  const small = await makeWorkbook(1000);
  console.log(`workbook: ${(big.length / 1024 / 1024).toFixed(1)} MiB`);
  const floorMs = await floor(big);
  console.log(`floor (exceljs streaming, no work): ${(floorMs / 1000).toFixed(2)} s`);
  // Before the imports: once they succeed, the worker makes and sends their guardians' messages,
  // which would share the database with this measurement.
  const dbFloorMs = await databaseFloor(mongo.uri, rows);
  console.log(`database floor (the same ${rows} pupils, needs and events inserted 500 rows at a time, no other work): ${(dbFloorMs / 1000).toFixed(2)} s`);

  // Upload to the report downloaded, as a principal checks a list.
  const toReport = async (name: string) => {
    const run = await runImport(base, token, small, name);
    const reportStart = performance.now();
    const report = await fetch(`${base}/api/imports/${run.id}/report.xlsx`, { headers: { Authorization: `Bearer ${token}` } });
    await report.arrayBuffer();
    return { ms: run.ms + (performance.now() - reportStart), summary: run.body.summary as Record<string, number> };
  };
  const smallTotal = (await toReport('small.xlsx')).ms;
  console.log(`1,000 rows, upload to report: ${(smallTotal / 1000).toFixed(2)} s`);
  // Its guardians' messages are made before the big import starts, so they do not share its time.
  const messagesMs = await messagesMade(mongo.uri);
  console.log(`its 1,000 events turned into guardians' messages (made and queued) ${(messagesMs / 1000).toFixed(1)} s after the report`);

  // The same list again, as after correcting it: now the school's 1,000 pupils and needs are
  // loaded and compared, and nothing is written.
  const again = await toReport('small-again.xlsx');
  if (again.summary.unchanged !== 1000) throw new Error(`the list uploaded again: ${JSON.stringify(again.summary)}`);
  console.log(`the same 1,000 rows uploaded again (all stored, none changed), upload to report: ${(again.ms / 1000).toFixed(2)} s`);

  const bigRun = await runImport(base, token, big, 'big.xlsx');
  const summary = bigRun.body.summary as Record<string, number>;
  console.log(`import of ${rows} rows: ${(bigRun.ms / 1000).toFixed(2)} s, status ${bigRun.body.status}, summary ${JSON.stringify(summary)}`);
  const rss = rssMiB(worker.pid!);
  console.log(`import ÷ (exceljs floor + database floor): ${(bigRun.ms / (floorMs + dbFloorMs)).toFixed(2)} x`);
  const ratio = bigRun.ms / floorMs;
  console.log(`BENCH import.ratio_to_floor ${ratio.toFixed(2)} x target <= 3 ${ratio <= 3 ? 'pass' : 'miss'}`);
  console.log(`BENCH import.worker_peak_rss ${rss.toFixed(0)} MiB target < 300 ${rss < 300 ? 'pass' : 'miss'}`);
  console.log(`BENCH import.small_upload_to_report ${(smallTotal / 1000).toFixed(2)} s target < 2 ${smallTotal < 2000 ? 'pass' : 'miss'}`);
  console.log(`BENCH import.small_again_upload_to_report ${(again.ms / 1000).toFixed(2)} s target < 2 ${again.ms < 2000 ? 'pass' : 'miss'}`);
  console.log(`BENCH import.rows_per_second ${(rows / (bigRun.ms / 1000)).toFixed(0)} rows/s target >= 0 pass`);
  // Every generated row is valid: a rejection or warning means a row was misread.
  const misread = (summary.rejected ?? 0) + (summary.warnings ?? 0);
  console.log(`BENCH import.rows_misread ${misread} target 0 ${misread === 0 ? 'pass' : 'miss'}`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  await mongo.stop();
  await removeFerretDbData(dataDir);
  await clearRedis();
  await redis.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
