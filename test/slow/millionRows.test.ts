import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { buildTestApp, resetData, stack, testConfig } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { eventually, exited, startEntry } from '../support/process.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { validPersonalCode } from '../support/devices.ts';
import { makeWorkbook } from '../support/imports.ts';
import { makeZip, unzipEntries } from '../support/zip.ts';
import { ImportIssueModel, ImportModel } from '../../src/imports/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';

/**
 * Large hostile files uploaded through the API at the production size limit and read by a real
 * worker process with its production V8 settings, its peak resident set read from the kernel:
 * a million-row device-needs list fails with too_many_rows once the row limit is passed and writes
 * no pupil and no need; a shared-strings table just under its limit is read and imported.
 */

const rows = 1_000_000;
const uniqueRows = 210_000;
const maxBytes = 20 * 1024 * 1024;
const rssBoundMiB = 300;

/** Streams the workbook to disk: the first rows each a new pupil, the rest repeating the last. */
async function writeMillionRows(file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('Dati');
  ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce']).commit();
  // Rows past the limit are never read, so repeating one code there keeps the file small: the
  // worker validates the first 200,000 in full (each a new pupil, nothing rejected) before it stops.
  let code = '';
  for (let i = 0; i < rows; i++) {
    if (i < uniqueRows) code = validPersonalCode();
    ws.addRow(['5.a', 'Anna', 'Bērziņa', code, 'dators']).commit();
  }
  ws.commit();
  await wb.commit();
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM). */
function procMiB(pid: number, field: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return kb / 1024;
}

type Outcome = { status: string; failure: { code: string } | null; summary?: { created?: number } | null; id: string; peakMiB: number; sampledMiB: number; seconds: number };

/**
 * Uploads `file` through an API at the production size limit and waits for a fresh real worker
 * process to finish it; returns the import and the worker's peak resident set (VmHWM).
 */
async function throughRealWorker(file: string, token: string): Promise<Outcome> {
  const s = stack();
  const app = buildTestApp(s.redis, s.redisPrefix, testConfig(s.dataDir, { IMPORT_MAX_BYTES: String(maxBytes) }), s.jobs.importQueue);
  const env = { MONGODB_URI: s.mongoUri, REDIS_URL: s.redisUrl, DATA_DIR: s.dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', PERSONAL_CODE_KEY: testPersonalCodeKey.toString('utf8') };
  const worker: ChildProcess = startEntry('jobs/worker.ts', env);
  const pid = worker.pid!;
  let stderr = '';
  worker.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  let sampledMiB = 0;
  const sampler = setInterval(() => {
    try {
      sampledMiB = Math.max(sampledMiB, procMiB(pid, 'VmRSS'));
    } catch {
      // The process has gone; the exit check below says so.
    }
  }, 100);
  try {
    const started = Date.now();
    const res = await request(app).post('/api/imports').set('Authorization', `Bearer ${token}`).field('kind', 'device-needs').attach('file', file);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    let imp: { status?: string; failure?: { code: string } | null; summary?: { created?: number } | null } | null = null;
    await eventually(
      'the import finished',
      async () => {
        expect(worker.exitCode, `the worker died: ${stderr}`).to.equal(null);
        imp = (await ImportModel.findById(res.body.id).lean()) as typeof imp;
        return imp?.status === 'failed' || imp?.status === 'succeeded';
      },
      600_000,
    );
    const seconds = (Date.now() - started) / 1000;
    const peakMiB = procMiB(pid, 'VmHWM');
    expect(worker.exitCode, 'the worker is still up').to.equal(null);
    const done = imp! as { status: string; failure?: { code: string } | null; summary?: { created?: number } | null };
    return { status: done.status, failure: done.failure ?? null, summary: done.summary ?? null, id: String(res.body.id), peakMiB, sampledMiB, seconds };
  } finally {
    clearInterval(sampler);
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await exited(worker);
    }
  }
}

describe('slow abuse: large files through the API and a real worker process', function () {
  this.timeout(900_000);
  let dir: string;
  let token: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-abuse-'));
    // The test process's own import worker steps aside, so the real process takes the jobs.
    await stack().jobs.worker.pause();
  });
  beforeEach(async () => {
    await resetData();
    const { code } = await makeInstitution();
    token = await makeToken((await makeUser('principal', code)).email);
  });
  after(async () => {
    stack().jobs.worker.resume();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a million rows: too_many_rows with nothing written, the worker under 300 MiB resident', async () => {
    const file = path.join(dir, 'million-rows.xlsx');
    await writeMillionRows(file);
    const size = fs.statSync(file).size;
    console.log(`    ${rows} rows in ${(size / 1024 / 1024).toFixed(1)} MiB`);
    expect(size, 'the file fits the production upload limit').to.be.lessThan(maxBytes);

    const out = await throughRealWorker(file, token);
    expect(out.status).to.equal('failed');
    expect(out.failure?.code).to.equal('too_many_rows');
    expect(await PupilModel.countDocuments()).to.equal(0);
    expect(await DeviceNeedModel.countDocuments()).to.equal(0);
    expect(await ImportIssueModel.countDocuments({ importId: out.id }), 'no row rejected on the way').to.equal(0);

    console.log(`    worker resident peak ${out.peakMiB.toFixed(0)} MiB (VmHWM; sampled VmRSS peak ${out.sampledMiB.toFixed(0)} MiB), answered in ${out.seconds.toFixed(1)} s`);
    console.log(`FIGURE abuse.million_rows_worker_peak_rss_mib ${out.peakMiB.toFixed(0)}`);
    console.log(`FIGURE abuse.million_rows_seconds_to_answer ${out.seconds.toFixed(1)}`);
    expect(out.peakMiB, 'worker peak resident set, MiB').to.be.lessThan(rssBoundMiB);
  });

  it('a shared-strings table just under its limit (999,000 unique strings): imported, the worker under 300 MiB resident', async () => {
    const entries = unzipEntries(await makeWorkbook(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'], [['5.a', 'Anna', 'Bērziņa', validPersonalCode(), 'dators']]));
    // Unique, so the reader keeps every one; about 27 MiB of XML in a 10 MiB upload.
    const strings = Array.from({ length: 999_000 }, (_, i) => `<si><t>${(i * 2_654_435_761 % 4_294_967_296).toString(36)}-${i.toString(36)}</t></si>`).join('');
    const file = path.join(dir, 'strings.xlsx');
    fs.writeFileSync(file, makeZip(entries.map((e) => (e.name === 'xl/sharedStrings.xml' ? { name: e.name, data: Buffer.from(e.data.toString('utf8').replace('</sst>', `${strings}</sst>`)) } : e))));
    const size = fs.statSync(file).size;
    console.log(`    999,000 extra shared strings in ${(size / 1024 / 1024).toFixed(1)} MiB`);
    expect(size).to.be.lessThan(maxBytes);

    const out = await throughRealWorker(file, token);
    expect(out.status, JSON.stringify(out.failure)).to.equal('succeeded');
    expect(out.summary?.created).to.equal(1);
    console.log(`    worker resident peak ${out.peakMiB.toFixed(0)} MiB (VmHWM; sampled VmRSS peak ${out.sampledMiB.toFixed(0)} MiB), answered in ${out.seconds.toFixed(1)} s`);
    console.log(`FIGURE abuse.shared_strings_worker_peak_rss_mib ${out.peakMiB.toFixed(0)}`);
    expect(out.peakMiB, 'worker peak resident set, MiB').to.be.lessThan(rssBoundMiB);
  });
});
