import { Types } from 'mongoose';
import { kindSpecs, rowParser, type ImportKind, type ParsedRow, type RowIssue } from '../../imports/kinds/index.ts';
import { readImportRows, SpreadsheetError, type HeaderEvent, type RowEvent, type RowNote, type SourceFile } from '../../imports/readWorkbook.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { rigaToday } from '../shared/dates.ts';
import { appliers } from './apply/index.ts';
import type { ApplyContext, BatchRow, RowResult } from './apply/types.ts';
import { ImportIssueModel, ImportModel } from './model.ts';
import { readFile } from './storage.ts';

export type RunDeps = { key: PersonalCodeKey; maxRows: number; batchSize?: number };
const checkedEvery = 5000;
type Issue = { row: number; column: string | null; field: string | null; code: string; severity: 'error' | 'warning'; phase: 'parse' | 'apply' };

/** A row's notes from reading (see RowNote) of one severity; most rows have none. */
function notesOf(ev: RowEvent, severity: Issue['severity']): RowNote[] {
  return ev.notes ? ev.notes.filter((n) => n.severity === severity) : [];
}

function columnOf(header: HeaderEvent, field: string | null): string | null {
  return field ? (header.match.columns[field]?.header ?? null) : null;
}

/**
 * Runs one import to its end: a first pass reads and validates every row (nothing written) and
 * finds the header, duplicates and the row count; the second applies the valid rows in batches.
 * After each batch the outcomes and the last row are saved together, so a worker killed half-way
 * resumes after that row on retry, and re-applying the rows since then is harmless because every
 * record is matched on its natural key (a unique index) and remembers which import made or changed it.
 */
export async function runImport(importId: string, deps: RunDeps): Promise<void> {
  const imp = await ImportModel.findById(importId);
  if (!imp || imp.status === 'succeeded' || imp.status === 'failed') return;
  const kind = imp.kind as ImportKind;
  const spec = kindSpecs[kind];
  await ImportModel.updateOne({ _id: imp._id }, { $set: { status: 'running', startedAt: imp.startedAt ?? new Date() }, $inc: { attempts: 1 } });
  await ImportIssueModel.deleteMany({ importId, $or: [{ phase: 'parse' }, { row: { $gt: imp.checkpointRow } }] });

  const file: SourceFile = { format: imp.format as 'xlsx' | 'csv', bytes: await readFile(imp.fileId) };
  const today = rigaToday();
  const issueBuffer: Issue[] = [];
  const flushIssues = async () => {
    if (issueBuffer.length) await ImportIssueModel.insertMany(issueBuffer.splice(0).map((i) => ({ ...i, importId })), { ordered: false });
  };

  // Pass 1: validate everything, write nothing but the issues.
  let header: HeaderEvent | null = null;
  let parseRow: ((cells: Record<string, unknown>) => ParsedRow<unknown>) | null = null;
  const seen = new Set<string>();
  const rejectedRows = new Set<number>();
  let rows = 0;
  let parseWarnings = 0;
  // A SpreadsheetError (bad file, no header, too many rows) is permanent: the processor fails the import.
  for await (const ev of readImportRows(file, spec.fields, { maxRows: deps.maxRows })) {
    if (ev.type === 'header') {
      header = ev;
      parseRow = rowParser(spec, { date1904: ev.date1904, today, slashDates: ev.slashDates });
      continue;
    }
    rows += 1;
    const parsed = parseRow!(ev.cells);
    const push = (list: RowIssue[], severity: Issue['severity']) =>
      list.forEach((i) => issueBuffer.push({ row: ev.rowNumber, field: i.field, column: columnOf(header!, i.field), code: i.code, severity, phase: 'parse' }));
    // What reading found (a .csv's quote gone wrong, a hidden row) comes before what the cells' checks found.
    const warnings = [...notesOf(ev, 'warning'), ...parsed.warnings];
    push(warnings, 'warning');
    parseWarnings += warnings.length;
    const errors = [...notesOf(ev, 'error'), ...(parsed.ok ? [] : parsed.errors)];
    if (errors.length || !parsed.ok) {
      push(errors, 'error');
      rejectedRows.add(ev.rowNumber);
    } else if (seen.has(parsed.key)) {
      push([{ field: spec.keyField, code: spec.duplicateCode ?? 'duplicate_in_file' }], 'error');
      rejectedRows.add(ev.rowNumber);
    } else {
      seen.add(parsed.key);
    }
    if (issueBuffer.length >= 500) await flushIssues();
    // The first pass of a large list takes a while; the page shows how far it has got.
    if (rows % checkedEvery === 0) await ImportModel.updateOne({ _id: imp._id }, { $set: { 'progress.checked': rows } });
  }
  await flushIssues();
  seen.clear();
  if (!header) throw new SpreadsheetError('no_header');
  await ImportModel.updateOne(
    { _id: imp._id },
    { $set: { 'progress.total': rows, 'progress.checked': rows, header: { sheet: header.sheet, row: header.rowNumber, columns: Object.fromEntries(Object.entries(header.match.columns).map(([k, v]) => [k, v.header])), unused: header.unusedColumns } } },
  );

  // Pass 2: apply the valid rows after the checkpoint, in batches.
  const ctx: ApplyContext = {
    importId,
    institutionId: imp.institution ? new Types.ObjectId(String(imp.institution)) : null,
    institutionCode: imp.institutionCode ?? null,
    dryRun: imp.dryRun,
    key: deps.key,
    fileName: imp.fileName,
    today,
  };
  const applied = { ...{ created: 0, updated: 0, unchanged: 0, rejected: 0, warnings: 0, processed: 0 }, ...(imp.applied ?? {}) };
  let batch: Array<BatchRow<never>> = [];
  let lastRow = imp.checkpointRow;
  let pending = 0;
  // Two batches are in flight at once (below), so 250 rows each hold as many rows in memory as one
  // batch of 500 did, and the worker's peak stays where it was.
  const size = deps.batchSize ?? 250;
  const applyBatch = await appliers[kind](ctx);

  // Writes one batch, then, once the batch before it is recorded, records its outcomes and the
  // checkpoint. A failure is thrown only after the batch before has settled too, so nothing of this
  // import is still being written when the failure is recorded.
  const write = async (rows: Array<BatchRow<never>>, upTo: number, count: number, before: Promise<void>) => {
    const [prior, mine] = await Promise.allSettled([before, rows.length ? applyBatch(rows) : Promise.resolve([] as RowResult[])]);
    if (prior.status === 'rejected') throw prior.reason;
    if (mine.status === 'rejected') throw mine.reason;
    mine.value.forEach((r, i) => {
      const row = rows[i]!.rowNumber;
      applied[r.outcome] += 1;
      for (const e of r.errors) issueBuffer.push({ row, field: e.field, column: columnOf(header!, e.field), code: e.code, severity: 'error', phase: 'apply' });
      for (const w of r.warnings) issueBuffer.push({ row, field: w.field, column: columnOf(header!, w.field), code: w.code, severity: 'warning', phase: 'apply' });
      applied.warnings += r.warnings.length;
    });
    await flushIssues();
    applied.processed += count;
    await ImportModel.updateOne({ _id: imp._id }, { $set: { checkpointRow: upTo, applied, 'progress.processed': applied.processed } });
  };

  // Two batches are written at once while the next is read: reading is this process's work, and
  // the database (FerretDB and PostgreSQL) does a batch's inserts one statement after another, so
  // a second batch in flight keeps the other core busy. Their rows never share a record (the first
  // pass rejected repeated keys), and checkpoints are still recorded in file order, so a killed
  // worker resumes after the last recorded batch and re-applies, harmlessly, what came after it.
  let newest: Promise<void> = Promise.resolve();
  let older: Promise<void> = Promise.resolve();
  const commit = async () => {
    const rows = batch;
    const upTo = lastRow;
    const count = pending;
    batch = [];
    pending = 0;
    await older;
    older = newest;
    newest = write(rows, upTo, count, newest);
    // Awaited later (each write awaits the one before); this only keeps a failure from being reported as unhandled meanwhile.
    newest.catch(() => {});
  };

  try {
    for await (const ev of readImportRows(file, spec.fields, { maxRows: deps.maxRows })) {
      if (ev.type === 'header' || ev.rowNumber <= imp.checkpointRow) continue;
      pending += 1;
      lastRow = ev.rowNumber;
      if (!rejectedRows.has(ev.rowNumber)) {
        const parsed = parseRow!(ev.cells);
        if (parsed.ok) batch.push({ rowNumber: ev.rowNumber, record: parsed.record as never });
      }
      if (pending >= size) await commit();
    }
    await commit();
  } catch (err) {
    // Let the batches in flight finish before the failure is recorded over them.
    await newest.catch(() => {});
    throw err;
  }
  await newest;

  const parseRejected = rejectedRows.size;
  await ImportModel.updateOne(
    { _id: imp._id },
    {
      $set: {
        status: 'succeeded',
        finishedAt: new Date(),
        'progress.processed': rows,
        summary: {
          rows,
          created: applied.created,
          updated: applied.updated,
          unchanged: applied.unchanged,
          rejected: parseRejected + applied.rejected,
          warnings: parseWarnings + applied.warnings,
        },
      },
    },
  );
}

/** Records a permanent failure so the person who uploaded sees it. */
export async function markImportFailed(importId: string, code: string, params: Record<string, string | number> = {}): Promise<void> {
  await ImportModel.updateOne({ _id: importId, status: { $ne: 'succeeded' } }, { $set: { status: 'failed', failure: { code, params }, finishedAt: new Date() } });
}
