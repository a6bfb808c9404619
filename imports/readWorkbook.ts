import ExcelJS from 'exceljs';
import { cellText } from './cells.ts';
import { decodeCsv, parseCsv } from './csv.ts';
import { matchHeaderRow, type FieldSpec, type HeaderMatch } from './headers.ts';
import { zipLimits } from './sniff.ts';
import { prepareXlsx, XlsxPartsError } from './xlsxParts.ts';

/** A reading failure that ends the import before or while rows are read; `code` is stable. */
export class SpreadsheetError extends Error {
  readonly code: string;
  readonly params: Record<string, string | number>;
  constructor(code: string, params: Record<string, string | number> = {}) {
    super(code);
    this.code = code;
    this.params = params;
  }
}

export type SourceFile = { format: 'xlsx' | 'csv'; bytes: Buffer };
export type HeaderEvent = { type: 'header'; sheet: string; rowNumber: number; match: HeaderMatch; date1904: boolean };
export type RowEvent = { type: 'row'; rowNumber: number; cells: Record<string, unknown>; values: unknown[] };

// Titles, logos and notes above the header are common; a real header sits within the first rows.
const headerScanRows = 30;

type Sheet = { name: string; rows: AsyncIterable<{ number: number; values: unknown[] }> };

/** Streams the worksheets of an .xlsx with exceljs' WorkbookReader: one row in memory at a time. */
async function* xlsxSheets(bytes: Buffer, meta: { date1904: boolean }): AsyncGenerator<Sheet> {
  let input;
  try {
    input = await prepareXlsx(bytes, zipLimits);
  } catch (err) {
    if (err instanceof XlsxPartsError) throw new SpreadsheetError(err.code, { detail: err.message.slice(0, 200) });
    throw err;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  for await (const ws of reader as AsyncIterable<AsyncIterable<ExcelJS.Row> & { name?: string; id?: number }>) {
    meta.date1904 = !!(reader as unknown as { properties?: { model?: { date1904?: boolean } } }).properties?.model?.date1904;
    const rows = (async function* () {
      for await (const row of ws) yield { number: row.number, values: row.values as unknown[] };
    })();
    yield { name: ws.name ?? `Sheet${ws.id ?? ''}`, rows };
  }
}

/** A .csv in UTF-8 or Windows-1257 as one sheet. */
async function* csvSheets(bytes: Buffer): AsyncGenerator<Sheet> {
  const { text } = decodeCsv(bytes);
  const rows = (async function* () {
    for (const r of parseCsv(text)) yield { number: r.rowNumber, values: r.values };
  })();
  yield { name: 'csv', rows };
}

const isBlank = (values: unknown[]) => values.every((v) => cellText(v) === '');

/**
 * Reads an import file: finds the data sheet and its header row by the kind's column names
 * (skipping titles, blank rows and instruction sheets), then yields each non-blank data row with
 * its cells keyed by field. Throws SpreadsheetError('no_header') when no sheet has a recognisable
 * header, and ('too_many_rows') past `maxRows` data rows.
 */
export async function* readImportRows(file: SourceFile, fields: FieldSpec[], opts: { maxRows: number }): AsyncGenerator<HeaderEvent | RowEvent> {
  const meta = { date1904: false };
  const sheets = file.format === 'xlsx' ? xlsxSheets(file.bytes, meta) : csvSheets(file.bytes);
  let header: HeaderEvent | null = null;
  let bestPartial: HeaderMatch | null = null;
  try {
    for await (const sheet of sheets) {
      if (header) {
        // Only the first sheet with a header is data; later sheets are drained unread.
        for await (const _ of sheet.rows) void _;
        continue;
      }
      let count = 0;
      for await (const row of sheet.rows) {
        if (!header) {
          if (++count > headerScanRows) continue;
          const match = matchHeaderRow(row.values, fields);
          if (!match) continue;
          if (match.missingRequired.length) {
            bestPartial ??= match;
            continue;
          }
          header = { type: 'header', sheet: sheet.name, rowNumber: row.number, match, date1904: meta.date1904 };
          yield header;
          count = 0;
          continue;
        }
        if (isBlank(row.values)) continue;
        if (++count > opts.maxRows) throw new SpreadsheetError('too_many_rows', { max: opts.maxRows });
        const cells: Record<string, unknown> = {};
        for (const [key, col] of Object.entries(header.match.columns)) cells[key] = row.values[col.index];
        yield { type: 'row', rowNumber: row.number, cells, values: row.values };
      }
    }
  } catch (err) {
    if (err instanceof SpreadsheetError) throw err;
    throw new SpreadsheetError('unreadable_file', { detail: (err as Error).message.slice(0, 200) });
  }
  if (!header) {
    if (bestPartial) throw new SpreadsheetError('missing_columns', { columns: bestPartial.missingRequired.join(', ') });
    throw new SpreadsheetError('no_header');
  }
}
