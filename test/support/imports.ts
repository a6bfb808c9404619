import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { stack } from './stack.ts';
import { eventually } from './process.ts';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'xlsx');

/** A fixture workbook by name. */
export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(fixturesDir, name));
}

/** Builds an .xlsx in memory: optional title rows, then the header and rows. */
export async function makeWorkbook(header: string[], rows: unknown[][], opts: { titles?: string[]; sheet?: string; before?: (wb: ExcelJS.Workbook) => void } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  opts.before?.(wb);
  const ws = wb.addWorksheet(opts.sheet ?? 'Dati');
  for (const t of opts.titles ?? []) ws.addRow([t]);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Uploads a file to POST /api/imports with a bearer token. */
export function upload(token: string, fields: { kind: string; institution?: string; dryRun?: boolean }, file: Buffer | null, name = 'list.xlsx') {
  let req = request(stack().app).post('/api/imports').set('Authorization', `Bearer ${token}`).field('kind', fields.kind);
  if (fields.institution) req = req.field('institution', fields.institution);
  if (fields.dryRun) req = req.field('dryRun', 'true');
  if (file) req = req.attach('file', file, name);
  return req;
}

/** Polls GET /api/imports/:id until it has finished; returns the body. */
export async function waitForImport(token: string, id: string, limitMs = 60_000) {
  let body: Record<string, unknown> = {};
  await eventually(`import ${id} finished`, async () => {
    const res = await request(stack().app).get(`/api/imports/${id}`).set('Authorization', `Bearer ${token}`);
    body = res.body;
    return body.status === 'succeeded' || body.status === 'failed';
  }, limitMs);
  return body as {
    status: string;
    summary: { rows: number; created: number; updated: number; unchanged: number; rejected: number; warnings: number };
    errors: Array<{ row: number; column: string | null; code: string; message: string }>;
    warnings: Array<{ row: number; column: string | null; code: string; message: string }>;
    failure: { code: string; message: string } | null;
    progress: { processed: number; total: number | null };
  };
}

/** Uploads and waits: the summary of a finished import. */
export async function importFile(token: string, fields: { kind: string; institution?: string; dryRun?: boolean }, file: Buffer, name = 'list.xlsx') {
  const res = await upload(token, fields, file, name).expect(202);
  return { id: res.body.id as string, ...(await waitForImport(token, res.body.id)) };
}
