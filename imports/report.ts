/**
 * The annotated copy of an upload that the principal downloads: the same sheet with each row's
 * problems written beside it and the offending cells coloured. It stays an import file in its own
 * right, so the principal can fix the rows in it and upload it again.
 */

import type { Stream } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText } from './cells.ts';
import { normalizeHeader, type FieldSpec } from './headers.ts';
import { readImportRows, type HeaderEvent, type SourceFile } from './readWorkbook.ts';

export type ReportIssue = { row: number; field: string | null; severity: 'error' | 'warning'; message: string };

const fills: Record<ReportIssue['severity'], ExcelJS.Fill> = {
  error: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } },
  warning: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } },
};

// Excel refuses longer cell text and reports the whole file as damaged.
const maxCellText = 32_767;
const errorCodes = new Set(['#N/A', '#REF!', '#NAME?', '#DIV/0!', '#NULL!', '#VALUE!', '#NUM!']);

/** A name Excel accepts for a sheet: none of : \ / ? * [ ], at most 31 characters, not blank. */
export function safeSheetName(name: string, fallback: string): string {
  const cleaned = name.replace(/[:\\/?*[\]]/gu, ' ').replace(/\s+/gu, ' ').trim().replace(/^'+|'+$/gu, '').slice(0, 31).trim();
  return cleaned || fallback;
}

/**
 * Streams the report workbook for an upload into `out`: the header row as found plus a column
 * with each row's messages (errors, then warnings), then every data row in the original order
 * with its values, cells of fields with an error filled red and with a warning yellow. Issues
 * refer to rows by their row number in the upload.
 */
export async function writeReport(
  file: SourceFile,
  fields: FieldSpec[],
  issues: ReportIssue[],
  labels: { sheet: string; errorsColumn: string },
  out: NodeJS.WritableStream,
): Promise<void> {
  // The file was accepted once already, so its size is not in question here.
  const read = () => readImportRows(file, fields, { maxRows: Number.POSITIVE_INFINITY });

  // A first pass finds the header and how far right any data reaches, so that the errors column
  // never covers a value sitting beyond the last titled column. Nothing is written before it
  // ends, so an unreadable file still fails as an ordinary error response.
  let header: HeaderEvent | null = null;
  let dataWidth = 0;
  for await (const ev of read()) {
    if (ev.type === 'header') header = ev;
    else dataWidth = Math.max(dataWidth, lastFilled(ev.values));
  }
  if (!header) return; // readImportRows throws when there is no header; this satisfies the types.

  const titles = new Map<number, string>();
  for (const col of [...Object.values(header.match.columns), ...header.match.unknown]) titles.set(col.index, col.header);
  const columnOf = new Map(Object.entries(header.match.columns).map(([key, col]) => [key, col.index]));
  // A report uploaded again and reported on again reuses its errors column instead of keeping
  // the stale messages next to a second one.
  const errorsTitle = normalizeHeader(labels.errorsColumn);
  const previous = header.match.unknown.find((col) => normalizeHeader(col.header) === errorsTitle);
  const errorsIndex = previous?.index ?? Math.max(dataWidth, ...titles.keys()) + 1;
  titles.set(errorsIndex, labels.errorsColumn);

  const byRow = new Map<number, ReportIssue[]>();
  for (const issue of issues) {
    const list = byRow.get(issue.row);
    if (list) list.push(issue);
    else byRow.set(issue.row, [issue]);
  }

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as unknown as Stream, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(safeSheetName(labels.sheet, 'Report'), { views: [{ state: 'frozen', ySplit: 1 }] });
  // Column widths have to be known before the first row is committed.
  ws.columns = Array.from({ length: errorsIndex }, (_, i) => {
    const title = titles.get(i + 1) ?? '';
    return { width: i + 1 === errorsIndex ? 60 : Math.min(40, Math.max(10, title.length + 2)) };
  });

  const headerValues: ExcelJS.CellValue[] = [];
  for (const [index, title] of titles) headerValues[index] = title;
  const headerRow = ws.addRow(headerValues);
  headerRow.font = { bold: true };
  headerRow.commit();

  for await (const ev of read()) {
    if (ev.type !== 'row') continue;
    const values: ExcelJS.CellValue[] = [];
    for (let i = 1; i < ev.values.length; i++) {
      if (i === errorsIndex) continue;
      const v = plainValue(ev.values[i]);
      if (v !== null) values[i] = v;
    }
    const rowIssues = byRow.get(ev.rowNumber) ?? [];
    const ordered = [...rowIssues.filter((i) => i.severity === 'error'), ...rowIssues.filter((i) => i.severity === 'warning')];
    const messages = [...new Set(ordered.map((i) => i.message))];
    if (messages.length) values[errorsIndex] = messages.join('; ').slice(0, maxCellText);

    const row = ws.addRow(values);
    const severityAt = new Map<number, ReportIssue['severity']>();
    for (const issue of ordered) {
      // Issues of the whole row, or of a field the file has no column for, mark the errors cell.
      const index = (issue.field !== null ? columnOf.get(issue.field) : undefined) ?? errorsIndex;
      if (!severityAt.has(index)) severityAt.set(index, issue.severity);
    }
    for (const [index, severity] of severityAt) row.getCell(index).fill = fills[severity];
    row.commit();
    if (await waitForRoom(out)) return;
  }

  ws.commit();
  await Promise.race([wb.commit(), closed(out)]);
}

/** Index of the last cell holding anything, in a 1-based exceljs values array. */
function lastFilled(values: unknown[]): number {
  for (let i = values.length - 1; i >= 1; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && v !== '') return i;
  }
  return 0;
}

/**
 * A cell value as it is written back: numbers, dates, booleans and strings as they are, formulas
 * by their cached result and rich text or hyperlinks as their text. Formula objects are never
 * passed on, so nothing in the report is ever calculated; strings, whatever they start with,
 * are written as string cells, which Excel does not evaluate.
 */
function plainValue(v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v.slice(0, maxCellText);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v : null;
  if (typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  // The cached result may itself be an error value, which the next check handles.
  if ('formula' in o || 'sharedFormula' in o) return plainValue(o.result);
  if ('error' in o) {
    // Error values read back as blank, as they did in the upload; anything unknown is dropped.
    return typeof o.error === 'string' && errorCodes.has(o.error) ? ({ error: o.error } as ExcelJS.CellErrorValue) : null;
  }
  const text = cellText(v);
  return text === '' ? null : text.slice(0, maxCellText);
}

type Flow = { writableNeedDrain?: boolean; destroyed?: boolean };

/**
 * exceljs does not wait for a slow reader, so rows would pile up in memory; pausing until the
 * output drains keeps it bounded. True when the output has gone (the client left) and writing
 * should stop.
 */
async function waitForRoom(out: NodeJS.WritableStream): Promise<boolean> {
  const flow = out as NodeJS.WritableStream & Flow;
  if (flow.destroyed) return true;
  if (!flow.writableNeedDrain) return false;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
  });
  return !!flow.destroyed;
}

// exceljs resolves its commit only on 'finish', which never comes once the client has left.
function closed(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => out.once('close', () => resolve()));
}
